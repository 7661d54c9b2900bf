package org.loom.protocol.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.CanonicalJson;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.json.ReferenceVectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class EnvelopeSignaturesTest {

    private static final JsonNode ED25519_VECTOR =
            ReferenceVectors.load("envelope-signature-ed25519-v1.json").get("vector");
    private static final JsonNode CONTEXT_VECTORS = ReferenceVectors.load("signature-context-v1.json");

    @Test
    void signedBytesOfTheVectorEnvelopeAreTheExpectedCanonicalText() {
        byte[] expected = ED25519_VECTOR.get("expected_canonical").stringValue().getBytes(StandardCharsets.UTF_8);
        assertThat(EnvelopeSignatures.signedBytes(ED25519_VECTOR.get("unsigned_envelope"))).isEqualTo(expected);
    }

    @Test
    void signingTheVectorEnvelopeGivesTheExpectedSignature() {
        SigningKey key = SigningKey.fromPkcs8Pem(ED25519_VECTOR.get("private_key_pem").stringValue());
        ObjectNode unsigned = (ObjectNode) ED25519_VECTOR.get("unsigned_envelope");
        ObjectNode signed = EnvelopeSignatures.sign(unsigned, key, ED25519_VECTOR.get("key_id").stringValue());

        JsonNode signature = signed.get("signature");
        assertThat(signature.get("algorithm").stringValue()).isEqualTo("Ed25519");
        assertThat(signature.get("key_id").stringValue()).isEqualTo("k_vector_sign_01");
        assertThat(signature.get("value").stringValue())
                .isEqualTo(ED25519_VECTOR.get("expected_signature_base64url_legacy").stringValue());
        assertThat(signature.has("context")).isFalse();
        assertThat(EnvelopeSignatures.verify(signed, publicKeyOfVector())).isTrue();
    }

    @Test
    void vectorContextSignatureVerifiesOnlyWhenTheContextIsDeclared() {
        ObjectNode envelope = ((ObjectNode) ED25519_VECTOR.get("unsigned_envelope")).deepCopy();
        ObjectNode signature = envelope.putObject("signature")
                .put("algorithm", "Ed25519")
                .put("key_id", "k_vector_sign_01")
                .put("value", ED25519_VECTOR.get("expected_signature_base64url_context").stringValue());
        assertThat(ED25519_VECTOR.get("signature_context").stringValue()).isEqualTo(EnvelopeSignatures.CONTEXT_V1);
        assertThat(EnvelopeSignatures.verify(envelope, publicKeyOfVector())).isFalse();

        signature.put("context", EnvelopeSignatures.CONTEXT_V1);
        assertThat(EnvelopeSignatures.verify(envelope, publicKeyOfVector())).isTrue();

        signature.put("context", "LOOM-ENVELOPE-SIG-v2");
        assertThat(EnvelopeSignatures.verify(envelope, publicKeyOfVector())).isFalse();
    }

    @Test
    void contextSignatureCoversTheContextNulAndCanonicalBytes() {
        SigningKey key = SigningKey.fromPkcs8Pem(ED25519_VECTOR.get("private_key_pem").stringValue());
        byte[] canonical = EnvelopeSignatures.signedBytes(ED25519_VECTOR.get("unsigned_envelope"));
        byte[] prefix = "LOOM-ENVELOPE-SIG-v1\0".getBytes(StandardCharsets.UTF_8);
        byte[] message = Arrays.copyOf(prefix, prefix.length + canonical.length);
        System.arraycopy(canonical, 0, message, prefix.length, canonical.length);
        assertThat(key.sign(message).base64Url())
                .isEqualTo(ED25519_VECTOR.get("expected_signature_base64url_context").stringValue());
    }

    @Test
    void bothSignatureContextVectorsVerify() {
        VerifyingKey key = VerifyingKey.fromSpkiPem(CONTEXT_VECTORS.get("public_key_pem").stringValue());
        String canonical = CONTEXT_VECTORS.get("canonical_json").stringValue();
        List<String> verified = new ArrayList<>();
        for (JsonNode vector : CONTEXT_VECTORS.get("vectors")) {
            JsonNode envelope = vector.get("envelope");
            assertThat(new String(EnvelopeSignatures.signedBytes(envelope), StandardCharsets.UTF_8))
                    .isEqualTo(canonical);
            assertThat(EnvelopeSignatures.verify(envelope, key)).as(vector.get("id").stringValue())
                    .isEqualTo(vector.get("should_verify").booleanValue());
            verified.add(vector.get("id").stringValue());
        }
        assertThat(verified).containsExactly("context-prefixed", "legacy-no-context");
    }

    @Test
    void tamperingWithAContextVectorEnvelopeBreaksItsSignature() {
        VerifyingKey key = VerifyingKey.fromSpkiPem(CONTEXT_VECTORS.get("public_key_pem").stringValue());
        for (JsonNode vector : CONTEXT_VECTORS.get("vectors")) {
            ObjectNode text = ((ObjectNode) vector.get("envelope")).deepCopy();
            ((ObjectNode) text.get("content").get("human")).put("text", "Test vector!");
            assertThat(EnvelopeSignatures.verify(text, key)).isFalse();

            ObjectNode recipient = ((ObjectNode) vector.get("envelope")).deepCopy();
            ((ObjectNode) recipient.get("to").get(0)).put("role", "cc");
            assertThat(EnvelopeSignatures.verify(recipient, key)).isFalse();

            ObjectNode added = ((ObjectNode) vector.get("envelope")).deepCopy();
            added.put("priority_hint", 1);
            assertThat(EnvelopeSignatures.verify(added, key)).isFalse();
        }
        ObjectNode contextRemoved = ((ObjectNode) CONTEXT_VECTORS.get("vectors").get(0).get("envelope")).deepCopy();
        ((ObjectNode) contextRemoved.get("signature")).remove("context");
        assertThat(EnvelopeSignatures.verify(contextRemoved, key)).isFalse();
    }

    @Test
    void metaAndMemberOrderDoNotAffectVerification() {
        VerifyingKey key = VerifyingKey.fromSpkiPem(CONTEXT_VECTORS.get("public_key_pem").stringValue());
        ObjectNode envelope = ((ObjectNode) CONTEXT_VECTORS.get("vectors").get(1).get("envelope")).deepCopy();
        envelope.putObject("meta").put("node_id", "node.test").put("received_at", "2026-01-01T00:00:01.000Z");
        assertThat(EnvelopeSignatures.verify(envelope, key)).isTrue();

        ObjectNode reordered = LoomJson.mapper().createObjectNode();
        List<String> names = new ArrayList<>(envelope.propertyNames());
        java.util.Collections.reverse(names);
        names.forEach(name -> reordered.set(name, envelope.get(name)));
        assertThat(EnvelopeSignatures.verify(reordered, key)).isTrue();
    }

    @Test
    void referenceEnvelopeSignatureVerifiesThroughTheLegacyOrderOnly() {
        ObjectNode envelope = (ObjectNode) LoomJson.parse(REFERENCE_ENVELOPE);
        String documented = "rBQp_Fg2TbXqHcDlfWxWvBitjqPM6m3N_L2s8mSNxNnz_OTs3Xg0rgrC8-NLjzw2Ph8Rahn5vZz2YIy6r3pVDw";
        envelope.putObject("signature")
                .put("algorithm", "Ed25519")
                .put("key_id", "k_sign_alice_1")
                .put("value", documented);
        VerifyingKey key = seed07().verifyingKey();

        assertThat(EnvelopeSignatures.verify(envelope, key)).isTrue();
        Signature signature = Signature.fromBase64Url(documented);
        assertThat(key.verify(EnvelopeSignatures.signedBytes(envelope), signature)).as("RFC 8785 bytes").isFalse();
        ObjectNode unsigned = CanonicalJson.withoutTopLevel(envelope, "signature", "meta");
        assertThat(key.verify(CanonicalJson.legacyBytes(unsigned), signature)).as("legacy bytes").isTrue();
    }

    @Test
    void signKeepsMemberOrderAndMetaAndReplacesAnOldSignatureInPlace() {
        SigningKey key = seed07();
        ObjectNode envelope = (ObjectNode) LoomJson.parse(
                "{\"z\":1,\"signature\":{\"algorithm\":\"Ed25519\",\"key_id\":\"old\",\"value\":\"x\"},"
                        + "\"meta\":{\"m\":1},\"a\":2}");
        ObjectNode signed = EnvelopeSignatures.sign(envelope, key, "k_new");
        assertThat(new ArrayList<>(signed.propertyNames())).containsExactly("z", "signature", "meta", "a");
        assertThat(signed.get("meta")).isEqualTo(envelope.get("meta"));
        assertThat(signed.get("signature").get("key_id").stringValue()).isEqualTo("k_new");
        assertThat(envelope.get("signature").get("key_id").stringValue()).as("input untouched").isEqualTo("old");
        assertThat(EnvelopeSignatures.verify(signed, key.verifyingKey())).isTrue();

        ObjectNode appended = EnvelopeSignatures.sign((ObjectNode) LoomJson.parse("{\"b\":1,\"a\":2}"), key, "k");
        assertThat(new ArrayList<>(appended.propertyNames())).containsExactly("b", "a", "signature");
    }

    @Test
    void signedEnvelopeVerifiesOnlyWithItsOwnKey() {
        SigningKey key = SigningKey.generate();
        ObjectNode signed = EnvelopeSignatures.sign((ObjectNode) LoomJson.parse(REFERENCE_ENVELOPE), key, "k1");
        assertThat(EnvelopeSignatures.verify(signed, key.verifyingKey())).isTrue();
        assertThat(EnvelopeSignatures.verify(signed, SigningKey.generate().verifyingKey())).isFalse();
    }

    @Test
    void signatureCoversNestedMembersNamedSignature() {
        SigningKey key = SigningKey.generate();
        ObjectNode envelope = (ObjectNode) LoomJson.parse(
                "{\"from\":{\"identity\":\"loom://a@x\","
                        + "\"delegation_chain\":[{\"id\":\"dlg_1\",\"signature\":\"AAAA\"}]}}");
        ObjectNode signed = EnvelopeSignatures.sign(envelope, key, "k");
        assertThat(new String(EnvelopeSignatures.signedBytes(signed), StandardCharsets.UTF_8))
                .contains("\"signature\":\"AAAA\"");
        ((ObjectNode) signed.get("from").get("delegation_chain").get(0)).put("signature", "BBBB");
        assertThat(EnvelopeSignatures.verify(signed, key.verifyingKey())).isFalse();
    }

    @Test
    void malformedSignatureMembersFailVerificationWithoutAnException() {
        VerifyingKey key = VerifyingKey.fromSpkiPem(CONTEXT_VECTORS.get("public_key_pem").stringValue());
        ObjectNode valid = ((ObjectNode) CONTEXT_VECTORS.get("vectors").get(1).get("envelope")).deepCopy();
        String value = valid.get("signature").get("value").stringValue();
        List<String> signatures = List.of(
                "\"not an object\"",
                "null",
                "{\"algorithm\":\"Ed25519\",\"key_id\":\"k_sign_test_1\"}",
                "{\"algorithm\":\"Ed25519\",\"key_id\":\"k_sign_test_1\",\"value\":\"!!!\"}",
                "{\"algorithm\":\"Ed25519\",\"key_id\":\"k_sign_test_1\",\"value\":\"" + value.substring(2) + "\"}",
                "{\"algorithm\":\"Ed25519\",\"key_id\":\"k_sign_test_1\",\"value\":42}",
                "{\"algorithm\":\"RS256\",\"key_id\":\"k_sign_test_1\",\"value\":\"" + value + "\"}",
                "{\"key_id\":\"k_sign_test_1\",\"value\":\"" + value + "\"}",
                "{\"algorithm\":\"Ed25519\",\"key_id\":\"\",\"value\":\"" + value + "\"}",
                "{\"algorithm\":\"Ed25519\",\"key_id\":\"k_sign_test_1\",\"value\":\"" + value + "\",\"context\":7}");
        for (String signature : signatures) {
            ObjectNode envelope = valid.deepCopy();
            envelope.set("signature", LoomJson.parse(signature));
            assertThat(EnvelopeSignatures.verify(envelope, key)).as(signature).isFalse();
        }
        ObjectNode unsigned = valid.deepCopy();
        unsigned.remove("signature");
        assertThat(EnvelopeSignatures.verify(unsigned, key)).isFalse();
        assertThat(EnvelopeSignatures.verify(LoomJson.parse("[]"), key)).isFalse();
    }

    @Test
    void acceptsASignatureValueInStandardBase64() {
        VerifyingKey key = VerifyingKey.fromSpkiPem(CONTEXT_VECTORS.get("public_key_pem").stringValue());
        ObjectNode envelope = ((ObjectNode) CONTEXT_VECTORS.get("vectors").get(1).get("envelope")).deepCopy();
        String value = envelope.get("signature").get("value").stringValue();
        String standard = java.util.Base64.getEncoder().encodeToString(Signature.fromBase64Url(value).toBytes());
        ((ObjectNode) envelope.get("signature")).put("value", standard);
        assertThat(EnvelopeSignatures.verify(envelope, key)).isTrue();
    }

    @Test
    void refusesToVerifyAnEnvelopeHoldingAnUnpairedSurrogate() {
        SigningKey key = SigningKey.generate();
        ObjectNode envelope = (ObjectNode) LoomJson.parse("{\"content\":{\"human\":{\"text\":\"x\\ud800\"}}}");
        byte[] legacy = CanonicalJson.legacyBytes(envelope);
        envelope.putObject("signature")
                .put("algorithm", "Ed25519")
                .put("key_id", "k")
                .put("value", key.sign(legacy).base64Url());
        assertThatThrownBy(() -> EnvelopeSignatures.verify(envelope, key.verifyingKey()))
                .isInstanceOfSatisfying(LoomException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID));
        assertThatThrownBy(() -> EnvelopeSignatures.sign(envelope, key, "k")).isInstanceOf(LoomException.class);
    }

    @Test
    void readsTheSignatureMember() {
        JsonNode envelope = CONTEXT_VECTORS.get("vectors").get(0).get("envelope");
        EnvelopeSignature signature = EnvelopeSignature.of(envelope).orElseThrow();
        assertThat(signature.algorithm()).isEqualTo("Ed25519");
        assertThat(signature.keyId()).isEqualTo("k_sign_test_1");
        assertThat(signature.context()).contains(EnvelopeSignatures.CONTEXT_V1);
        assertThat(signature.value().base64Url()).isEqualTo(envelope.get("signature").get("value").stringValue());
        assertThat(EnvelopeSignature.of(CONTEXT_VECTORS.get("vectors").get(1).get("envelope")).orElseThrow().context())
                .isEmpty();
    }

    private static VerifyingKey publicKeyOfVector() {
        return VerifyingKey.fromSpkiPem(ED25519_VECTOR.get("public_key_pem").stringValue());
    }

    static SigningKey seed07() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        return SigningKey.fromSeed(seed);
    }

    /** The envelope of REF §2.6, {@code meta} included. */
    static final String REFERENCE_ENVELOPE = """
            {"loom":"1.1","id":"env_01ARZ3NDEKTSV4RRFFQ69G5FAV","thread_id":"thr_01ARZ3NDEKTSV4RRFFQ69G5FAW",
             "parent_id":null,"type":"message",
             "from":{"identity":"loom://alice@node.test","display":"Alice","key_id":"k_sign_alice_1","type":"human"},
             "to":[{"identity":"loom://bob@node.test","role":"primary"}],
             "created_at":"2026-02-16T20:00:00Z","priority":"normal",
             "content":{"human":{"text":"Hello é ✓","format":"markdown"},
                        "structured":{"intent":"message.general@v1",
                                      "parameters":{"b":1.0,"a":[true,null],"10":"x","9":"y","Zed":1,"a_b":2,"aB":3}},
                        "encrypted":false},
             "attachments":[],"meta":{"node_id":"ignored"}}""";
}
