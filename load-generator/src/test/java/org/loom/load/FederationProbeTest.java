package org.loom.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Whether a node serves federation is decided from what its HTTP server answers, against real servers. */
class FederationProbeTest {

    private HttpServer server;

    private NodeClient serve(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> answer(exchange, status, body));
        server.start();
        return new NodeClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(5));
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aNodeAnsweringRouteNotFoundDoesNotSupportFederation() throws IOException {
        NodeClient node = serve(404, "{\"error\":{\"code\":\"ENVELOPE_NOT_FOUND\",\"message\":\"Route not found\"}}");

        assertThat(new FederationRun(node, node, 2).supported("at_x")).isFalse();
    }

    @Test
    void aNodeServingTheOutboxSupportsFederation() throws IOException {
        NodeClient node = serve(200, "{\"items\":[]}");

        assertThat(new FederationRun(node, node, 2).supported("at_x")).isTrue();
    }
}
