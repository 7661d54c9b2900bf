package org.loom.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ClientAddressesTest {

    private static MockHttpServletRequest from(String peer, String... forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/health");
        request.setRemoteAddr(peer);
        for (String header : forwardedFor) {
            request.addHeader("X-Forwarded-For", header);
        }
        return request;
    }

    private static ClientAddresses trusting(String... proxies) {
        return new ClientAddresses(TrustedProxies.parse(List.of(proxies)));
    }

    @Test
    void usesSocketAddressWhenNoProxyIsTrusted() {
        assertThat(trusting().clientOf(from("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void ignoresForwardedForFromUntrustedPeer() {
        assertThat(trusting("10.0.0.0/8").clientOf(from("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void takesForwardedClientFromTrustedPeer() {
        assertThat(trusting("10.0.0.0/8").clientOf(from("10.1.2.3", "198.51.100.1"))).isEqualTo("198.51.100.1");
    }

    @Test
    void skipsTrustedHopsAndIgnoresWhatTheClientPrepended() {
        ClientAddresses addresses = trusting("10.0.0.0/8", "192.0.2.7");

        String client = addresses.clientOf(from("10.1.2.3", "6.6.6.6, 198.51.100.1", "192.0.2.7, 10.9.9.9"));

        assertThat(client).isEqualTo("198.51.100.1");
    }

    @Test
    void fallsBackToNearestTrustedHopWhenTheNextEntryIsNotAnAddress() {
        assertThat(trusting("10.0.0.0/8").clientOf(from("10.1.2.3", "evil.example, 10.4.4.4")))
                .isEqualTo("10.4.4.4");
    }

    @Test
    void matchesIpv6Ranges() {
        assertThat(trusting("fd00::/8").clientOf(from("fd12::1", "2001:db8::5"))).isEqualTo("2001:db8:0:0:0:0:0:5");
    }

    private static MockHttpServletRequest forwarded(String peer, String... forwarded) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/health");
        request.setRemoteAddr(peer);
        for (String header : forwarded) {
            request.addHeader("Forwarded", header);
        }
        return request;
    }

    @Test
    void ignoresForwardedFromUntrustedPeer() {
        assertThat(trusting("10.0.0.0/8").clientOf(forwarded("203.0.113.9", "for=198.51.100.1")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void takesForwardedClientFromTrustedPeerPastTrustedHops() {
        ClientAddresses addresses = trusting("10.0.0.0/8");

        String client = addresses.clientOf(forwarded("10.1.2.3",
                "for=6.6.6.6, for=\"198.51.100.1:4711\";proto=https;by=10.0.0.1", "For=10.9.9.9"));

        assertThat(client).isEqualTo("198.51.100.1");
    }

    @Test
    void readsBracketedIpv6NodesOfForwarded() {
        assertThat(trusting("fd00::/8").clientOf(forwarded("fd12::1", "for=\"[2001:db8::5]:80\"")))
                .isEqualTo("2001:db8:0:0:0:0:0:5");
    }

    @Test
    void stopsAtAnUnknownOrObfuscatedForwardedNode() {
        ClientAddresses addresses = trusting("10.0.0.0/8");

        assertThat(addresses.clientOf(forwarded("10.1.2.3", "for=198.51.100.1, for=unknown, for=10.4.4.4")))
                .isEqualTo("10.4.4.4");
        assertThat(addresses.clientOf(forwarded("10.1.2.3", "for=_hidden"))).isEqualTo("10.1.2.3");
    }

    @Test
    void bothHeadersNamingDifferentClientsAreBothDisbelieved() {
        MockHttpServletRequest request = from("10.1.2.3", "198.51.100.1");
        request.addHeader("Forwarded", "for=203.0.113.50");

        assertThat(trusting("10.0.0.0/8").clientOf(request)).isEqualTo("10.1.2.3");
    }

    @Test
    void bothHeadersNamingTheSameClientAreBelieved() {
        MockHttpServletRequest request = from("10.1.2.3", "198.51.100.1");
        request.addHeader("Forwarded", "for=198.51.100.1;proto=https");

        assertThat(trusting("10.0.0.0/8").clientOf(request)).isEqualTo("198.51.100.1");
    }

    @Test
    void refusesProxyEntriesThatAreNotAddresses() {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("proxy.internal")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
