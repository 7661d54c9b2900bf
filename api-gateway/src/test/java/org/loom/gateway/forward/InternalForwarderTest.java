package org.loom.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.loom.gateway.auth.Actor;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class InternalForwarderTest {

    @Test
    void unreachableServiceIsNodeUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        InternalForwarder forwarder = new InternalForwarder(new ForwardingSettings(
                URI.create("http://127.0.0.1:" + closedPort), URI.create("http://127.0.0.1:" + closedPort),
                Duration.ofSeconds(2), Duration.ofSeconds(5), URI.create("http://127.0.0.1:" + closedPort),
                URI.create("http://127.0.0.1:" + closedPort)));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/threads");

        assertThatThrownBy(() -> forwarder.forward(InternalService.ENVELOPE_SERVICE, request,
                new Actor("loom://alice@node.test", "k1"), null))
                .isInstanceOfSatisfying(LoomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE);
                    assertThat(e.httpStatus()).isEqualTo(502);
                    assertThat(e.getMessage()).isEqualTo("Internal service unavailable: envelope-service");
                    assertThat(e.details()).containsExactly(
                            java.util.Map.entry("service", "envelope-service"),
                            java.util.Map.entry("reason", "connection_failed"));
                });
    }

    @Test
    void relayStreamsALargeAnswerWithItsStatusAndContentType() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        Arrays.fill(body, (byte) 'x');
        try (OneAnswerServer service = new OneAnswerServer(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                body)) {
            MockHttpServletResponse response = new MockHttpServletResponse();

            forwarderTo(service.port()).relay(InternalService.ENVELOPE_SERVICE,
                    new MockHttpServletRequest("GET", "/v1/threads/thr_1/envelopes"),
                    new Actor("loom://alice@node.test", "k1"), response);

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentType()).isEqualTo("application/json");
            assertThat(response.getContentAsByteArray()).isEqualTo(body);
        }
    }

    @Test
    void relayOfAnAnswerBrokenOffBeforeAnythingWentOutIsNodeUnreachable() throws Exception {
        try (OneAnswerServer service = new OneAnswerServer(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                "{\"thread_id\":".getBytes(StandardCharsets.US_ASCII))) {
            MockHttpServletResponse response = new MockHttpServletResponse();

            assertThatThrownBy(() -> forwarderTo(service.port()).relay(InternalService.ENVELOPE_SERVICE,
                    new MockHttpServletRequest("GET", "/v1/threads/thr_1/envelopes"),
                    new Actor("loom://alice@node.test", "k1"), response))
                    .isInstanceOfSatisfying(LoomException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE));
            assertThat(response.isCommitted()).isFalse();
            assertThat(response.getContentAsByteArray()).isEmpty();
        }
    }

    private static InternalForwarder forwarderTo(int port) {
        URI service = URI.create("http://127.0.0.1:" + port);
        return new InternalForwarder(new ForwardingSettings(service, service, Duration.ofSeconds(2),
                Duration.ofSeconds(5), service, service));
    }

    /** Answers one connection with the given head and body bytes, then closes it. */
    private static final class OneAnswerServer implements AutoCloseable {

        private final ServerSocket socket;
        private final Thread answering;

        OneAnswerServer(byte[] head, byte[] body) throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            answering = new Thread(() -> {
                try (Socket connection = socket.accept()) {
                    InputStream in = connection.getInputStream();
                    // Reads the request head before answering, so the client is not cut off mid-request.
                    int matched = 0;
                    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    while (matched < end.length) {
                        int b = in.read();
                        if (b < 0) {
                            return;
                        }
                        matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
                    }
                    OutputStream out = connection.getOutputStream();
                    out.write(head);
                    out.write(body);
                    out.flush();
                } catch (IOException ignored) {
                    // the test sees what the client got
                }
            }, "one-answer-server");
            answering.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            answering.join(5000);
        }
    }

    @Test
    void targetKeepsTheRawPathAndQueryUnderTheBaseUrl() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/identity/loom%3A%2F%2Fa%40x");
        request.setQueryString("q=%E2%9C%93&x=1");

        assertThat(InternalForwarder.target(URI.create("http://envelope-service:8788/"), request))
                .hasToString("http://envelope-service:8788/v1/identity/loom%3A%2F%2Fa%40x?q=%E2%9C%93&x=1");
    }

    @Test
    void settingsRefuseANonHttpServiceUrl() {
        assertThatThrownBy(() -> new ForwardingSettings(URI.create("ftp://x"), URI.create("http://x"),
                Duration.ofSeconds(1), Duration.ofSeconds(1), URI.create("http://127.0.0.1:8790"), URI.create("http://x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ForwardingSettings(URI.create("http://127.0.0.1:8788"), URI.create("http://x"),
                Duration.ofSeconds(1), Duration.ofSeconds(1), URI.create("ftp://x"), URI.create("http://x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
