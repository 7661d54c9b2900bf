package org.loom.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.loom.gateway.auth.Actor;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.springframework.mock.web.MockHttpServletRequest;

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
