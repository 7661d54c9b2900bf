package org.loom.email.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loom.email.config.EmailSettings;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

/**
 * While the envelope-service restarts, the bridge's reads of it fail. That is the node's trouble, not the client's:
 * the answer must be {@code 502 NODE_UNREACHABLE} (which clients retry), not a {@code 500 INTERNAL_ERROR}. A real
 * refusal of the envelope-service is still passed on as it is.
 */
class EnvelopeServiceClientTest {

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void envelopeServiceThatDoesNotListenIsNodeUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LoomException refusal = catchThrowableOfType(LoomException.class,
                () -> client("http://127.0.0.1:" + closedPort).envelope("env_1", "loom://a@x.test"));

        assertThat(refusal.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE);
        assertThat(refusal.code().httpStatus()).isEqualTo(502);
        assertThat(refusal.details()).containsEntry("service", "envelope-service")
                .containsEntry("reason", "connection_failed");
    }

    @Test
    void answerThatIsNotTheServicesJsonIsNodeUnreachable() throws IOException {
        serve(503, "<html>starting</html>");

        LoomException refusal = catchThrowableOfType(LoomException.class,
                () -> client(baseUrl()).thread("thr_1", "loom://a@x.test"));

        assertThat(refusal.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE);
        assertThat(refusal.details()).containsEntry("service", "envelope-service");
    }

    @Test
    void refusalOfTheEnvelopeServiceIsPassedOnWithItsCode() throws IOException {
        serve(404, "{\"error\":{\"code\":\"ENVELOPE_NOT_FOUND\",\"message\":\"Envelope not found\","
                + "\"details\":{\"envelope_id\":\"env_1\"}}}");

        LoomException refusal = catchThrowableOfType(LoomException.class,
                () -> client(baseUrl()).envelope("env_1", "loom://a@x.test"));

        assertThat(refusal.code()).isEqualTo(ErrorCode.ENVELOPE_NOT_FOUND);
        assertThat(refusal.details()).containsEntry("envelope_id", "env_1");
    }

    private void serve(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static EnvelopeServiceClient client(String url) {
        return new EnvelopeServiceClient(new EmailSettings(259_200_000L, URI.create(url), Duration.ofSeconds(10),
                "email-bridge-replies", 26_214_400L, 50));
    }
}
