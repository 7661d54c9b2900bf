package org.loom.gateway.envelope;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real HTTP server on a loopback port standing in for an internal service: records every request it receives and
 * answers {@code 207} with a fixed body, or, for paths ending in {@code _missing}, a 404 in its own error form.
 */
final class FakeInternalService {

    /** A request as it arrived: method, raw path and query, headers (lower-case names), body. */
    record Seen(String method, String rawPathAndQuery, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    static final String CONTENT_TYPE = "application/vnd.loom.test+json; charset=utf-8";
    static final String BODY = "{\"threads\":[],\"number\":1.0E21,\"from\":\"fake\"}";
    static final String MISSING_BODY = "{\"error\":{\"code\":\"THREAD_NOT_FOUND\",\"message\":\"Thread not found\"}}";

    private static FakeInternalService instance;

    private final HttpServer server;
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

    private FakeInternalService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                    Map.copyOf(headers), body));
            boolean missing = exchange.getRequestURI().getRawPath().endsWith("_missing");
            byte[] answer = (missing ? MISSING_BODY : BODY).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", missing ? "application/json; charset=utf-8" : CONTENT_TYPE);
            exchange.sendResponseHeaders(missing ? 404 : 207, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    static synchronized FakeInternalService get() {
        if (instance == null) {
            try {
                instance = new FakeInternalService();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request whose raw path starts with {@code prefix}. */
    List<Seen> seenUnder(String prefix) {
        return seen.stream().filter(request -> request.rawPathAndQuery().startsWith(prefix)).toList();
    }
}
