package org.loom.protocol.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

class HttpSignatureTest {

    // REF §2.6: the federation request vector, signed with the key of seed 32 x 0x07.
    private static final SigningKey SEED_07 = SigningKey.fromSeed(filled((byte) 0x07));
    private static final byte[] VECTOR_BODY = ("{\"loom\":\"1.1\",\"sender_node\":\"remote.test\","
            + "\"delivery_id\":\"fdel_01ARZ3NDEKTSV4RRFFQ69G5FAV\",\"timestamp\":\"2026-02-16T21:10:00.000Z\","
            + "\"envelopes\":[]}").getBytes(StandardCharsets.UTF_8);
    private static final String VECTOR_HASH = "bcd227818c2b9057f38a77d1b8a5b0ee505288c518833eb1442341f7fe4490f1";
    private static final String VECTOR_TIMESTAMP = "2026-02-16T21:10:00.000Z";
    private static final String VECTOR_NONCE = "nonce_01ARZ3NDEKTSV4RRFFQ69G5FAV";
    private static final String VECTOR_SIGNATURE =
            "B2bCUBPaHZDD00cQUNZ_cq-hyZTv63lGPvUO3YM_A37CCZHI_zSfYFGWF5nWM5wkxRlfvoJKADqpMV_e1MeXDA";

    @Test
    void vectorBodyHashesToTheVectorDigest() {
        assertThat(Sha256.hex(VECTOR_BODY)).isEqualTo(VECTOR_HASH);
    }

    @Test
    void signingStringOfTheVectorRequest() {
        assertThat(HttpSignature.signingString("post", "/v1/federation/deliver", VECTOR_BODY, VECTOR_TIMESTAMP,
                VECTOR_NONCE)).isEqualTo("POST\n/v1/federation/deliver\n" + VECTOR_HASH + "\n" + VECTOR_TIMESTAMP
                        + "\n" + VECTOR_NONCE);
    }

    @Test
    void signingTheVectorRequestGivesTheVectorSignature() {
        Clock atVectorTime = Clock.fixed(Instant.parse(VECTOR_TIMESTAMP), ZoneOffset.UTC);

        SignedRequestHeaders headers = HttpSignature.sign("POST", "/v1/federation/deliver", VECTOR_BODY,
                "remote.test", "k_node_sign_remote_1", SEED_07, atVectorTime, VECTOR_NONCE);

        assertThat(headers.signature()).isEqualTo(VECTOR_SIGNATURE);
        assertThat(headers.timestamp()).isEqualTo(VECTOR_TIMESTAMP);
        assertThat(headers.asMap()).containsExactly(
                Map.entry("x-loom-node", "remote.test"),
                Map.entry("x-loom-timestamp", VECTOR_TIMESTAMP),
                Map.entry("x-loom-nonce", VECTOR_NONCE),
                Map.entry("x-loom-key-id", "k_node_sign_remote_1"),
                Map.entry("x-loom-signature", VECTOR_SIGNATURE));
    }

    @Test
    void vectorSignatureVerifies() {
        assertThat(HttpSignature.verifySignature("POST", "/v1/federation/deliver", VECTOR_BODY, VECTOR_TIMESTAMP,
                VECTOR_NONCE, VECTOR_SIGNATURE, SEED_07.verifyingKey())).isTrue();
    }

    @Test
    void queryIsNotSigned() {
        assertThat(HttpSignature.signingString("POST", "/v1/federation/deliver?x=1", VECTOR_BODY, VECTOR_TIMESTAMP,
                VECTOR_NONCE)).startsWith("POST\n/v1/federation/deliver\n");
        assertThat(HttpSignature.verifySignature("POST", "/v1/federation/deliver?retry=2", VECTOR_BODY,
                VECTOR_TIMESTAMP, VECTOR_NONCE, VECTOR_SIGNATURE, SEED_07.verifyingKey())).isTrue();
    }

    @Test
    void emptyBodyHashesAsTheEmptyString() {
        String expected = "GET\n/v1/federation/hello\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nt\nn";
        assertThat(HttpSignature.signingString("get", "/v1/federation/hello", new byte[0], "t", "n"))
                .isEqualTo(expected);
        assertThat(HttpSignature.signingString("get", "/v1/federation/hello", null, "t", "n")).isEqualTo(expected);
    }

    @Test
    void anyChangeToASignedPartBreaksTheSignature() {
        byte[] otherBody = Arrays.copyOf(VECTOR_BODY, VECTOR_BODY.length);
        otherBody[otherBody.length - 3] = ' ';
        var key = SEED_07.verifyingKey();
        String path = "/v1/federation/deliver";

        assertThat(HttpSignature.verifySignature("PUT", path, VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_NONCE,
                VECTOR_SIGNATURE, key)).isFalse();
        assertThat(HttpSignature.verifySignature("POST", "/v1/federation/challenge", VECTOR_BODY, VECTOR_TIMESTAMP,
                VECTOR_NONCE, VECTOR_SIGNATURE, key)).isFalse();
        assertThat(HttpSignature.verifySignature("POST", path, otherBody, VECTOR_TIMESTAMP, VECTOR_NONCE,
                VECTOR_SIGNATURE, key)).isFalse();
        assertThat(HttpSignature.verifySignature("POST", path, VECTOR_BODY, "2026-02-16T21:10:00.001Z",
                VECTOR_NONCE, VECTOR_SIGNATURE, key)).isFalse();
        assertThat(HttpSignature.verifySignature("POST", path, VECTOR_BODY, VECTOR_TIMESTAMP,
                "nonce_01ARZ3NDEKTSV4RRFFQ69G5FAW", VECTOR_SIGNATURE, key)).isFalse();
        assertThat(HttpSignature.verifySignature("POST", path, VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_NONCE,
                VECTOR_SIGNATURE, SigningKey.generate().verifyingKey())).isFalse();
        assertThat(HttpSignature.verifySignature("POST", path, VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_NONCE,
                "%%%", key)).isFalse();
    }

    @Test
    void signedRequestRoundTripsThroughItsHeaders() {
        SigningKey key = SigningKey.generate();
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00.123Z"), ZoneOffset.UTC);
        byte[] body = "{\"envelopes\":[1]}".getBytes(StandardCharsets.UTF_8);
        SignedRequestHeaders sent = HttpSignature.sign("POST", "/v1/federation/deliver", body, "node.a", "k1", key,
                clock, "nonce_01ARZ3NDEKTSV4RRFFQ69G5FAV");

        Map<String, String> wire = new HashMap<>(sent.asMap());
        SignedRequestHeaders received = SignedRequestHeaders.read(wire::get);

        assertThat(received).isEqualTo(sent);
        assertThat(HttpSignature.verifySignature("POST", "/v1/federation/deliver", body, received,
                key.verifyingKey())).isTrue();
        assertThat(HttpSignature.isFresh(received.timestamp(), clock)).isTrue();
    }

    @Test
    void readingHeadersRequiresAllFive() {
        for (String missing : HttpSignature.REQUIRED_HEADERS) {
            Map<String, String> wire = new HashMap<>(new SignedRequestHeaders("n", "t", "nonce", "k", "s").asMap());
            wire.put(missing, "");
            assertThatThrownBy(() -> SignedRequestHeaders.read(wire::get))
                    .isInstanceOfSatisfying(LoomException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.SIGNATURE_INVALID);
                        assertThat(e.getMessage()).isEqualTo("Missing required federation signature headers");
                        assertThat(e.details()).isEqualTo(Map.of("required_headers", List.of("x-loom-node",
                                "x-loom-timestamp", "x-loom-nonce", "x-loom-key-id", "x-loom-signature")));
                    });
            wire.remove(missing);
            assertThatThrownBy(() -> SignedRequestHeaders.read(wire::get)).isInstanceOf(LoomException.class);
        }
    }

    @Test
    void timestampExactlyFiveMinutesAwayIsFresh() {
        Clock clock = Clock.fixed(Instant.parse("2026-02-16T21:15:00.000Z"), ZoneOffset.UTC);

        assertThat(HttpSignature.isFresh("2026-02-16T21:10:00.000Z", clock)).isTrue();
        assertThat(HttpSignature.isFresh("2026-02-16T21:20:00.000Z", clock)).isTrue();
    }

    @Test
    void timestampFiveMinutesAndOneMillisecondAwayIsStale() {
        Clock clock = Clock.fixed(Instant.parse("2026-02-16T21:15:00.000Z"), ZoneOffset.UTC);

        assertThat(HttpSignature.isFresh("2026-02-16T21:09:59.999Z", clock)).isFalse();
        assertThat(HttpSignature.isFresh("2026-02-16T21:20:00.001Z", clock)).isFalse();
    }

    @Test
    void freshnessHonoursOffsetsAndCustomWindows() {
        Clock clock = Clock.fixed(Instant.parse("2026-02-16T21:15:00.000Z"), ZoneOffset.UTC);

        assertThat(HttpSignature.isFresh("2026-02-16T22:15:00+01:00", clock)).isTrue();
        assertThat(HttpSignature.isFresh("2026-02-16T21:14:00Z", clock, Duration.ofSeconds(30))).isFalse();
        assertThat(HttpSignature.isFresh("2026-02-16T21:14:45Z", clock, Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void lenientTimestampsAreNeverFresh() {
        Clock clock = Clock.fixed(Instant.parse("2026-02-16T21:15:00.000Z"), ZoneOffset.UTC);

        for (String lenient : new String[] {"2026-02-16T21:15:00", "2026-02-16", "Mon, 16 Feb 2026 21:15:00 +0000",
                "1771276500000", "", null}) {
            assertThat(HttpSignature.isFresh(lenient, clock)).as(String.valueOf(lenient)).isFalse();
        }
    }

    private static byte[] filled(byte value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, value);
        return seed;
    }
}
