package org.loom.gateway.node;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * The bases every public URL of the node is built on: one for HTTP routes, one for the WebSocket.
 *
 * @param http      e.g. {@code https://node.example} or {@code http://127.0.0.1:8787}, without a trailing slash
 * @param websocket the same origin with {@code wss} or {@code ws}
 */
public record PublicEndpoints(String http, String websocket) {

    public PublicEndpoints {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(websocket, "websocket");
    }

    /** {@code https://{domain}} and {@code wss://{domain}}: a node is assumed to sit behind TLS. */
    public static PublicEndpoints ofDomain(String domain) {
        return new PublicEndpoints("https://" + domain, "wss://" + domain);
    }

    /**
     * The bases of a configured public URL such as {@code http://127.0.0.1:8787} or {@code https://example.com/loom}.
     *
     * @throws IllegalArgumentException when it is not an absolute http or https URL without query or fragment
     */
    public static PublicEndpoints ofBaseUrl(String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("LOOM_PUBLIC_BASE_URL is not a URL: " + baseUrl, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "LOOM_PUBLIC_BASE_URL must be an http or https URL without user, query or fragment: " + baseUrl);
        }
        String http = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String websocket = (scheme.equals("https") ? "wss" : "ws") + http.substring(scheme.length());
        return new PublicEndpoints(http, websocket);
    }

    /** An HTTP URL of the node, {@code path} starting with a slash. */
    public String http(String path) {
        return http + path;
    }

    /** A WebSocket URL of the node, {@code path} starting with a slash. */
    public String websocket(String path) {
        return websocket + path;
    }
}
