package org.loom.federation.outbound;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.loom.federation.config.FederationSettings;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

class OutboundFetcherTest {

    private static FederationSettings settings(boolean allowPrivate) {
        return new FederationSettings(Duration.ofMinutes(1), 120, Duration.ofMinutes(1), 1000, 100, true,
                Duration.ofMinutes(5), 3, 6, Duration.ofMinutes(30), false, false, 3, Duration.ofMinutes(15),
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofSeconds(10),
                Duration.ofSeconds(5), allowPrivate, "replies");
    }

    @Test
    void refusesLoopbackAndPrivateTargetsUnlessAllowed() {
        OutboundFetcher strict = new OutboundFetcher(settings(false));
        for (String url : new String[] {"https://127.0.0.1/.well-known/loom.json", "https://10.1.2.3/x",
                "https://192.168.0.1/x", "https://169.254.169.254/latest", "https://[::1]/x", "https://localhost/x"}) {
            assertThatThrownBy(() -> strict.checkTarget(url, false)).as(url)
                    .isInstanceOfSatisfying(LoomException.class,
                            e -> org.assertj.core.api.Assertions.assertThat(e.code())
                                    .isEqualTo(ErrorCode.ENVELOPE_INVALID));
        }
        assertThatCode(() -> new OutboundFetcher(settings(true)).checkTarget("http://127.0.0.1:8787/x", true))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesPlainHttpUnlessTheCallerAllowsIt() {
        OutboundFetcher fetcher = new OutboundFetcher(settings(true));
        assertThatThrownBy(() -> fetcher.checkTarget("http://127.0.0.1:8787/x", false))
                .isInstanceOf(LoomException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> fetcher.checkTarget("ftp://node.example/x", true))
                .isInstanceOf(LoomException.class);
    }

    @Test
    void unreachableTargetIsNodeUnreachable() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OutboundFetcher fetcher = new OutboundFetcher(settings(true));
        assertThatThrownBy(() -> fetcher.getJson("http://127.0.0.1:" + closedPort + "/x", true, Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(LoomException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE));
    }
}
