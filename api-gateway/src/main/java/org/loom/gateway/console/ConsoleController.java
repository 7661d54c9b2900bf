package org.loom.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The live console at {@code /}: one static page with its script and style, read once from the class path. The page
 * itself holds no data; its script reads the node's JSON routes with whatever token the visitor supplies, so it sees
 * exactly what that principal may see through the API.
 *
 * <p>Static resource handling stays off for the gateway (unknown paths are protocol 404s); these three files are the
 * only ones served.
 */
@RestController
class ConsoleController {

    private static final Map<String, String> ASSETS = Map.of(
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    private final byte[] page = read("index.html");
    private final Map<String, byte[]> assets = Map.of(
            "console.js", read("console.js"),
            "console.css", read("console.css"));

    @GetMapping("/")
    ResponseEntity<byte[]> page() {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .cacheControl(CacheControl.noCache())
                // The page loads only its own script and style and talks only to this node.
                .header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .body(page);
    }

    @GetMapping("/console/{asset:console\\.(?:js|css)}")
    ResponseEntity<byte[]> asset(@PathVariable String asset) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, ASSETS.get(asset))
                .cacheControl(CacheControl.noCache())
                .header("X-Content-Type-Options", "nosniff")
                .body(assets.get(asset));
    }

    private static byte[] read(String name) {
        try (InputStream in = new ClassPathResource("console/" + name).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("console asset missing: " + name, e);
        }
    }
}
