package org.loom.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicEndpointsTest {

    @Test
    void domainGivesHttpsAndWss() {
        PublicEndpoints endpoints = PublicEndpoints.ofDomain("node.example");

        assertThat(endpoints.http("/v1")).isEqualTo("https://node.example/v1");
        assertThat(endpoints.websocket("/ws")).isEqualTo("wss://node.example/ws");
    }

    @Test
    void plainHttpBaseUrlGivesWsAndDropsTheTrailingSlash() {
        PublicEndpoints endpoints = PublicEndpoints.ofBaseUrl("http://127.0.0.1:8787/");

        assertThat(endpoints.http("/v1/federation/deliver")).isEqualTo("http://127.0.0.1:8787/v1/federation/deliver");
        assertThat(endpoints.websocket("/ws")).isEqualTo("ws://127.0.0.1:8787/ws");
    }

    @Test
    void httpsBaseUrlWithPathKeepsThePathAndGivesWss() {
        PublicEndpoints endpoints = PublicEndpoints.ofBaseUrl("https://example.com/loom");

        assertThat(endpoints.http("/v1")).isEqualTo("https://example.com/loom/v1");
        assertThat(endpoints.websocket("/ws")).isEqualTo("wss://example.com/loom/ws");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8787", "ftp://example.com", "https://example.com/?a=1", "https://user@example.com",
            "https://example.com/#top", "http:///path", "not a url"})
    void refusesABaseUrlThatIsNotAPlainHttpOrigin(String baseUrl) {
        assertThatIllegalArgumentException().isThrownBy(() -> PublicEndpoints.ofBaseUrl(baseUrl))
                .withMessageContaining("LOOM_PUBLIC_BASE_URL");
    }
}
