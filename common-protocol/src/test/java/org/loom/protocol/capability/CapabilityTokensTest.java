package org.loom.protocol.capability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.envelope.Priority;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.CanonicalJson;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class CapabilityTokensTest {

    private static final SigningKey NODE_KEY = SigningKey.generate();

    static CapabilityToken unsignedToken() {
        return new CapabilityToken("1.1", "cap_01ARZ3NDEKTSV4RRFFQ69G5FAV", "loom://owner@node.test",
                "loom://bob@node.test", "2026-02-16T20:00:00.000Z", "2026-02-17T20:00:00.000Z", false, 3,
                List.of("resolve", "label"),
                new CapabilityScope("thr_01ARZ3NDEKTSV4RRFFQ69G5FAW", List.of("thread_op"), 50, Priority.NORMAL,
                        "deny"),
                null);
    }

    @Test
    void writesTheSpecShapeInSpecOrder() {
        ObjectNode json = CapabilityTokens.sign(unsignedToken(), NODE_KEY, "k_node_sign_local_1").toJson();

        assertThat(json.propertyNames()).containsExactly("loom", "id", "issued_by", "issued_to", "created_at",
                "expires_at", "single_use", "epoch", "grants", "scope", "signature");
        assertThat(json.get("scope").propertyNames()).containsExactly("thread_id", "envelope_types", "max_depth",
                "max_priority", "external_domains");
        assertThat(json.get("signature").propertyNames()).containsExactly("algorithm", "key_id", "value");
        assertThat(json.get("signature").get("algorithm").stringValue()).isEqualTo("Ed25519");
        assertThat(json.get("signature").get("key_id").stringValue()).isEqualTo("k_node_sign_local_1");
        assertThat(json.get("scope").get("max_priority").stringValue()).isEqualTo("normal");
    }

    @Test
    void signatureCoversTheCanonicalTokenWithoutItsSignature() {
        CapabilityToken signed = CapabilityTokens.sign(unsignedToken(), NODE_KEY, "k_node_sign_local_1");

        byte[] expected = CanonicalJson.rfc8785Bytes(unsignedToken().toJson());
        assertThat(NODE_KEY.verifyingKey().verify(expected, signed.signature().value())).isTrue();
    }

    @Test
    void signedTokenSurvivesTheWireAndVerifiesOffline() {
        CapabilityToken signed = CapabilityTokens.sign(unsignedToken(), NODE_KEY, "k_node_sign_local_1");

        JsonNode received = LoomJson.parse(LoomJson.write(signed.toJson()));
        CapabilityToken read = CapabilityToken.fromJson(received);

        assertThat(read).isEqualTo(signed);
        assertThat(CapabilityTokens.verify(received, NODE_KEY.verifyingKey())).isTrue();
        assertThat(CapabilityTokens.verify(read, NODE_KEY.verifyingKey())).isTrue();
    }

    @Test
    void unrestrictedScopeRoundTripsWithNulls() {
        CapabilityToken token = new CapabilityToken("1.1", "cap_01ARZ3NDEKTSV4RRFFQ69G5FAV", "loom://owner@node.test",
                "loom://bob@node.test", "2026-02-16T20:00:00.000Z", null, true, 0, List.of("admin"),
                CapabilityScope.thread("thr_01ARZ3NDEKTSV4RRFFQ69G5FAW"), null);
        CapabilityToken signed = CapabilityTokens.sign(token, NODE_KEY, "k1");

        ObjectNode json = signed.toJson();

        assertThat(json.get("expires_at").isNull()).isTrue();
        assertThat(json.get("scope").get("envelope_types").isNull()).isTrue();
        assertThat(json.get("scope").get("max_depth").isNull()).isTrue();
        assertThat(CapabilityToken.fromJson(json)).isEqualTo(signed);
        assertThat(CapabilityTokens.verify(json, NODE_KEY.verifyingKey())).isTrue();
    }

    @Test
    void detectsTamperingWithAnySignedMember() {
        ObjectNode signed = CapabilityTokens.sign(unsignedToken(), NODE_KEY, "k1").toJson();

        ObjectNode moreGrants = signed.deepCopy();
        ((ArrayNode) moreGrants.get("grants")).add("admin");
        ObjectNode otherHolder = signed.deepCopy();
        otherHolder.put("issued_to", "loom://mallory@node.test");
        ObjectNode otherThread = signed.deepCopy();
        ((ObjectNode) otherThread.get("scope")).put("thread_id", "thr_01ARZ3NDEKTSV4RRFFQ69G5FAX");
        ObjectNode laterEpoch = signed.deepCopy();
        laterEpoch.put("epoch", 4);
        ObjectNode addedMember = signed.deepCopy();
        addedMember.put("note", "x");

        for (ObjectNode tampered : List.of(moreGrants, otherHolder, otherThread, laterEpoch, addedMember)) {
            assertThat(CapabilityTokens.verify(tampered, NODE_KEY.verifyingKey())).isFalse();
        }
        assertThat(CapabilityTokens.verify(signed, NODE_KEY.verifyingKey())).isTrue();
    }

    @Test
    void rejectsOtherKeysAlgorithmsAndUnsignedTokens() {
        ObjectNode signed = CapabilityTokens.sign(unsignedToken(), NODE_KEY, "k1").toJson();
        assertThat(CapabilityTokens.verify(signed, SigningKey.generate().verifyingKey())).isFalse();

        ObjectNode otherAlgorithm = signed.deepCopy();
        ((ObjectNode) otherAlgorithm.get("signature")).put("algorithm", "RS256");
        assertThat(CapabilityTokens.verify(otherAlgorithm, NODE_KEY.verifyingKey())).isFalse();

        ObjectNode garbled = signed.deepCopy();
        ((ObjectNode) garbled.get("signature")).put("value", "AAAA");
        assertThat(CapabilityTokens.verify(garbled, NODE_KEY.verifyingKey())).isFalse();

        assertThat(CapabilityTokens.verify(unsignedToken().toJson(), NODE_KEY.verifyingKey())).isFalse();
        assertThat(CapabilityTokens.verify(unsignedToken(), NODE_KEY.verifyingKey())).isFalse();
        assertThat(CapabilityTokens.verify(LoomJson.parse("[]"), NODE_KEY.verifyingKey())).isFalse();
    }

    @Test
    void verifiesTokensSignedInTheLegacyKeyOrder() {
        ObjectNode unsigned = unsignedToken().toJson();
        unsigned.put("Zone", "eu-1");
        assertThat(CanonicalJson.legacy(unsigned)).isNotEqualTo(CanonicalJson.rfc8785(unsigned));
        ObjectNode signed = unsigned.deepCopy();
        ObjectNode block = signed.putObject("signature");
        block.put("algorithm", "Ed25519");
        block.put("key_id", "k1");
        block.put("value", NODE_KEY.sign(CanonicalJson.legacyBytes(unsigned)).base64Url());

        assertThat(CapabilityTokens.verify(signed, NODE_KEY.verifyingKey())).isTrue();
    }

    @Test
    void signingReplacesAnEarlierSignature() {
        CapabilityToken first = CapabilityTokens.sign(unsignedToken(), SigningKey.generate(), "old");
        CapabilityToken resigned = CapabilityTokens.sign(first, NODE_KEY, "new");

        assertThat(resigned.signature().keyId()).isEqualTo("new");
        assertThat(CapabilityTokens.verify(resigned, NODE_KEY.verifyingKey())).isTrue();
    }

    @Test
    void grantsAreTrimmedDeduplicatedAndBlankFree() {
        assertThat(CapabilityToken.normalizeGrants(LoomJson.parse("[\" resolve \",\"\",\"lock\",\"resolve\"]")))
                .containsExactly("resolve", "lock");
    }

    @Test
    void refusesMalformedTokensAsDenied() {
        assertMalformed(tokenWith(t -> t.put("loom", "1.0")), "loom");
        assertMalformed(tokenWith(t -> t.put("id", "tok_1")), "id");
        assertMalformed(tokenWith(t -> t.put("issued_to", "bob")), "issued_to");
        assertMalformed(tokenWith(t -> t.put("created_at", "2026-02-16")), "created_at");
        assertMalformed(tokenWith(t -> t.put("expires_at", "tomorrow")), "expires_at");
        assertMalformed(tokenWith(t -> t.put("single_use", "yes")), "single_use");
        assertMalformed(tokenWith(t -> t.put("epoch", -1)), "epoch");
        assertMalformed(tokenWith(t -> t.put("epoch", 1.5)), "epoch");
        assertMalformed(tokenWith(t -> t.putArray("grants").add(" ")), "grants");
        assertMalformed(tokenWith(t -> t.remove("scope")), "scope");
        assertMalformed(tokenWith(t -> ((ObjectNode) t.get("scope")).put("thread_id", "x")), "scope.thread_id");
        assertMalformed(tokenWith(t -> ((ObjectNode) t.get("scope")).put("max_priority", "critical")),
                "scope.max_priority");
        assertMalformed(tokenWith(t -> ((ObjectNode) t.get("scope")).put("external_domains", "maybe")),
                "scope.external_domains");
        assertMalformed(tokenWith(t -> ((ObjectNode) t.get("scope")).put("envelope_types", "message")),
                "scope.envelope_types");
        assertMalformed(tokenWith(t -> t.putObject("signature").put("algorithm", "Ed25519")),
                "signature.key_id");
    }

    private static ObjectNode tokenWith(Consumer<ObjectNode> change) {
        ObjectNode json = unsignedToken().toJson();
        change.accept(json);
        return json;
    }

    private static void assertMalformed(JsonNode json, String field) {
        assertThatThrownBy(() -> CapabilityToken.fromJson(json)).isInstanceOfSatisfying(LoomException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CAPABILITY_DENIED);
            assertThat(e.getMessage()).isEqualTo("Capability token is malformed");
            assertThat(e.details()).containsEntry("field", field);
        });
    }

    @Test
    void malformedDetailsNameFieldAndReason() {
        assertThatThrownBy(() -> CapabilityToken.fromJson(LoomJson.parse("\"cap_x\"")))
                .isInstanceOfSatisfying(LoomException.class, e -> assertThat(e.details())
                        .isEqualTo(Map.of("field", "token", "reason", "must be an object")));
    }
}
