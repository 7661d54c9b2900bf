package org.loom.protocol.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LoomAddressTest {

    @ParameterizedTest
    @CsvSource({
            "loom://mesut@cowork-os.com, LOOM, mesut, cowork-os.com",
            "loom://assistant.mesut@cowork-os.com, LOOM, assistant.mesut, cowork-os.com",
            "loom://subagent.agent.human@node.test, LOOM, subagent.agent.human, node.test",
            "loom://billing@acme.corp, LOOM, billing, acme.corp",
            "loom://0_a-b.c@node.test, LOOM, 0_a-b.c, node.test",
            "loom://alice@Node.Test, LOOM, alice, Node.Test",
            "loom://alice@localhost, LOOM, alice, localhost",
            "loom://alice@127.0.0.1, LOOM, alice, 127.0.0.1",
            "bridge://alice@gmail.com, BRIDGE, alice, gmail.com",
            "bridge://John.Doe+news@Example.ORG, BRIDGE, John.Doe+news, Example.ORG",
            "bridge://a_b%c-d@mail.example.co, BRIDGE, a_b%c-d, mail.example.co"})
    void parsesValidAddresses(String text, LoomAddress.Scheme scheme, String localPart, String domain) {
        LoomAddress address = LoomAddress.parse(text);

        assertThat(address.scheme()).isEqualTo(scheme);
        assertThat(address.localPart()).isEqualTo(localPart);
        assertThat(address.domain()).isEqualTo(domain);
        assertThat(address).hasToString(text);
        assertThat(LoomAddress.isValid(text)).isTrue();
        assertThat(LoomAddress.tryParse(text)).contains(address);
    }

    @Test
    void acceptsTheLongestLocalPartTheSpecificationAllows() {
        String local = "a" + "b".repeat(63);

        assertThat(LoomAddress.isValid("loom://" + local + "@node.test")).isTrue();
        assertThat(LoomAddress.isValid("loom://" + local + "b@node.test")).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            // Spec §6.1: local parts are lower case and start with a letter or digit.
            "loom://Alice@node.test",
            "loom://ALICE@node.test",
            "loom://.alice@node.test",
            "loom://_alice@node.test",
            "loom://-alice@node.test",
            "loom://@node.test",
            "loom://al ice@node.test",
            "loom://al+ice@node.test",
            // The domain is a bare DNS name: no port, fragment, path, user info or empty label.
            "loom://alice@node.test:8787",
            "loom://alice@node.test#thr_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "loom://alice@node.test/inbox",
            "loom://alice@bob@node.test",
            "loom://alice@",
            "loom://alice@node..test",
            "loom://alice@.node.test",
            "loom://alice@node.test.",
            "loom://alice@node_test.com",
            "loom://alice@node.test\n",
            "loom://alice",
            "loom:alice@node.test",
            "LOOM://alice@node.test",
            "Loom://alice@node.test",
            "mailto:alice@node.test",
            "alice@node.test",
            "https://alice@node.test",
            // Bridged addresses need a dotted top-level domain of two or more letters.
            "bridge://alice@gmail",
            "bridge://alice@gmail.c",
            "bridge://alice@gmail.c0m",
            "bridge://alice@gmail.com:25",
            "bridge://@gmail.com",
            "bridge://al ice@gmail.com",
            "bridge://alice@@gmail.com",
            "BRIDGE://alice@gmail.com"})
    void refusesInvalidAddresses(String text) {
        assertThat(LoomAddress.isValid(text)).isFalse();
        assertThat(LoomAddress.tryParse(text)).isEmpty();
        assertThatThrownBy(() -> LoomAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesDomainsBeyondDnsLimits() {
        String longLabel = "a".repeat(64);
        String longName = ("a".repeat(60) + ".").repeat(4) + "test"; // 248 characters
        String tooLongName = ("a".repeat(62) + ".").repeat(4) + "test"; // 256 characters

        assertThat(LoomAddress.isValid("loom://x@" + "a".repeat(63) + ".test")).isTrue();
        assertThat(LoomAddress.isValid("loom://x@" + longLabel + ".test")).isFalse();
        assertThat(LoomAddress.isValid("loom://x@" + longName)).isTrue();
        assertThat(LoomAddress.isValid("loom://x@" + tooLongName)).isFalse();
    }

    @Test
    void constructorAppliesTheSameRulesAsParsing() {
        assertThatThrownBy(() -> new LoomAddress(LoomAddress.Scheme.LOOM, "Alice", "node.test"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoomAddress(LoomAddress.Scheme.BRIDGE, "alice", "localhost"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new LoomAddress(LoomAddress.Scheme.LOOM, "alice", "node.test"))
                .isEqualTo(LoomAddress.parse("loom://alice@node.test"));
    }

    @Test
    void agentScopeIsADotInANativeLocalPart() {
        assertThat(LoomAddress.parse("loom://assistant.mesut@cowork-os.com").isAgentScoped()).isTrue();
        assertThat(LoomAddress.parse("loom://mesut@cowork-os.com").isAgentScoped()).isFalse();
        assertThat(LoomAddress.parse("bridge://john.doe@gmail.com").isAgentScoped()).isFalse();
    }

    @Test
    void comparesDomainsIgnoringCaseButKeepsTheSpellingGiven() {
        LoomAddress address = LoomAddress.parse("loom://alice@Node.Test");

        assertThat(address.domain()).isEqualTo("Node.Test");
        assertThat(address.domainKey()).isEqualTo("node.test");
        assertThat(address.sameDomain("NODE.test")).isTrue();
        assertThat(address.sameDomain("node.test")).isTrue();
        assertThat(address.sameDomain("other.test")).isFalse();
        assertThat(address.sameDomain(null)).isFalse();
        // Identities compare as exact strings: the same mailbox spelt differently is a different identity.
        assertThat(address).isNotEqualTo(LoomAddress.parse("loom://alice@node.test"));
    }
}
