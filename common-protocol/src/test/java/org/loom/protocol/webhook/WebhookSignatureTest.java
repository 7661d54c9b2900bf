package org.loom.protocol.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.SigningKey;

class WebhookSignatureTest {

    private static final SigningKey NODE_KEY = SigningKey.generate();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-16T21:30:00.250Z"), ZoneOffset.UTC);
    private static final byte[] BODY = "{\"loom\":\"1.1\",\"delivery_id\":\"wout_01ARZ3NDEKTSV4RRFFQ69G5FAV\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final WebhookEvent EVENT = new WebhookEvent("evt_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "wout_01ARZ3NDEKTSV4RRFFQ69G5FAV", "federation.outbox.process.delivered");
    private static final String NONCE = "wh_01ARZ3NDEKTSV4RRFFQ69G5FAV";

    @Test
    void signingStringIsPostPathBodyHashTimestampAndNonce() {
        assertThat(WebhookSignature.signingString("/hooks/loom", BODY, "2026-02-16T21:30:00.250Z", NONCE))
                .isEqualTo("POST\n/hooks/loom\n" + Sha256.hex(BODY) + "\n2026-02-16T21:30:00.250Z\n" + NONCE);
    }

    @Test
    void signedPathDropsTheQueryKeepsEscapesAndDefaultsToRoot() {
        assertThat(WebhookSignature.signedPath(URI.create("https://hooks.example/in/loom?token=abc")))
                .isEqualTo("/in/loom");
        assertThat(WebhookSignature.signedPath(URI.create("https://hooks.example/a%20b/c"))).isEqualTo("/a%20b/c");
        assertThat(WebhookSignature.signedPath(URI.create("https://hooks.example"))).isEqualTo("/");
    }

    @Test
    void signedDeliveryVerifiesWithTheNodeKey() {
        URI url = URI.create("https://hooks.example/in/loom?token=abc");

        WebhookHeaders headers = WebhookSignature.sign(url, BODY, EVENT, "k_sign_system_1", NODE_KEY, CLOCK, NONCE);

        assertThat(headers.timestamp()).isEqualTo("2026-02-16T21:30:00.250Z");
        assertThat(WebhookSignature.verify("/in/loom", BODY, headers, NODE_KEY.verifyingKey())).isTrue();
        assertThat(NODE_KEY.verifyingKey().verify(
                WebhookSignature.signingString("/in/loom", BODY, headers.timestamp(), NONCE),
                Signature.fromBase64Url(headers.signature()))).isTrue();
    }

    @Test
    void headersCarryTheEventAndSignature() {
        WebhookHeaders headers = WebhookSignature.sign(URI.create("https://hooks.example/in"), BODY, EVENT,
                "k_sign_system_1", NODE_KEY, CLOCK, NONCE);

        assertThat(headers.asMap()).containsExactly(
                Map.entry("content-type", "application/json"),
                Map.entry("x-loom-event-id", "evt_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
                Map.entry("x-loom-delivery-id", "wout_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
                Map.entry("x-loom-event-type", "federation.outbox.process.delivered"),
                Map.entry("x-loom-key-id", "k_sign_system_1"),
                Map.entry("x-loom-timestamp", "2026-02-16T21:30:00.250Z"),
                Map.entry("x-loom-nonce", NONCE),
                Map.entry("x-loom-signature", headers.signature()));
    }

    @Test
    void anyChangeBreaksTheSignature() {
        WebhookHeaders headers = WebhookSignature.sign(URI.create("https://hooks.example/in"), BODY, EVENT, "k",
                NODE_KEY, CLOCK, NONCE);
        byte[] otherBody = "{\"loom\":\"1.1\"}".getBytes(StandardCharsets.UTF_8);
        var key = NODE_KEY.verifyingKey();

        assertThat(WebhookSignature.verify("/in", BODY, headers, key)).isTrue();
        assertThat(WebhookSignature.verify("/out", BODY, headers, key)).isFalse();
        assertThat(WebhookSignature.verify("/in", otherBody, headers, key)).isFalse();
        assertThat(WebhookSignature.verify("/in", BODY, "2026-02-16T21:30:00.251Z", NONCE, headers.signature(), key))
                .isFalse();
        assertThat(WebhookSignature.verify("/in", BODY, headers.timestamp(), "wh_other", headers.signature(), key))
                .isFalse();
        assertThat(WebhookSignature.verify("/in", BODY, headers, SigningKey.generate().verifyingKey())).isFalse();
        assertThat(WebhookSignature.verify("/in", BODY, headers.timestamp(), NONCE, "not-a-signature", key))
                .isFalse();
    }
}
