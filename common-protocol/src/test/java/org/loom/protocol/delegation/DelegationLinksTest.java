package org.loom.protocol.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.CanonicalJson;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class DelegationLinksTest {

    // REF §2.6: Ed25519 seed of 32 bytes 0x07 and the delegation link it signed.
    private static final SigningKey SEED_07 = SigningKey.fromSeed(filled((byte) 0x07));
    private static final String VECTOR_CANONICAL = "{\"allow_sub_delegation\":false,"
            + "\"created_at\":\"2026-02-16T20:30:00Z\",\"delegate\":\"loom://assistant.owner@node.test\","
            + "\"delegator\":\"loom://owner@node.test\",\"expires_at\":null,\"id\":\"dlg_01ARZ3NDEKTSV4RRFFQ69G5FD9\","
            + "\"key_id\":\"k_sign_owner_1\",\"max_sub_delegation_depth\":0,\"revocable\":true,"
            + "\"scope\":[\"message.general@v1\"]}";
    private static final String VECTOR_SIGNATURE =
            "bcIvhNt34x5923tHr1Sh4clHc4nw6qeYuA-TdUg8NwLugdZm2aSV9rdhD-l5uSOHSwuqMgTvTP5lACARRPcGCA";

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-16T20:45:00Z"), ZoneOffset.UTC);

    @Test
    void seedKeyIsTheVectorKey() {
        assertThat(SEED_07.verifyingKey().rawBase64Url()).isEqualTo("6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw");
    }

    @Test
    void storedFormOfTheVectorRequestCanonicalisesToTheVectorString() {
        ObjectNode stored = DelegationLinks.fromCreateRequest(vectorRequest(), "loom://owner@node.test", CLOCK);

        assertThat(stored.propertyNames()).containsExactly("id", "delegator", "delegate", "scope", "created_at",
                "expires_at", "revocable", "allow_sub_delegation", "max_sub_delegation_depth", "key_id");
        assertThat(CanonicalJson.rfc8785(stored)).isEqualTo(VECTOR_CANONICAL);
    }

    @Test
    void signingTheVectorLinkGivesTheVectorSignature() {
        ObjectNode stored = DelegationLinks.fromCreateRequest(vectorRequest(), "loom://owner@node.test", CLOCK);

        ObjectNode signed = DelegationLinks.sign(stored, SEED_07);

        assertThat(signed.get("signature").stringValue()).isEqualTo(VECTOR_SIGNATURE);
        assertThat(stored.has("signature")).isFalse();
        assertThat(signed.propertyNames()).last().isEqualTo("signature");
    }

    @Test
    void vectorSignatureVerifiesWithTheSeedKey() {
        ObjectNode link = (ObjectNode) LoomJson.parse(VECTOR_CANONICAL);
        link.put("signature", VECTOR_SIGNATURE);

        assertThat(DelegationLinks.isSignedBy(link, SEED_07.verifyingKey())).isTrue();
        assertThat(DelegationLinks.isSignedBy(link, SigningKey.generate().verifyingKey())).isFalse();
    }

    @Test
    void everyFieldButTheSignatureIsSigned() {
        ObjectNode signed = DelegationLinks.sign(vectorStored(), SEED_07);
        VerifyingKey key = SEED_07.verifyingKey();

        ObjectNode widened = signed.deepCopy();
        widened.putArray("scope").add("*");
        ObjectNode extra = signed.deepCopy();
        extra.put("note", "added after signing");
        ObjectNode renamed = signed.deepCopy();
        renamed.put("id", "dlg_01ARZ3NDEKTSV4RRFFQ69G5FDA");

        assertThat(DelegationLinks.isSignedBy(signed, key)).isTrue();
        assertThat(DelegationLinks.isSignedBy(widened, key)).isFalse();
        assertThat(DelegationLinks.isSignedBy(extra, key)).isFalse();
        assertThat(DelegationLinks.isSignedBy(renamed, key)).isFalse();
    }

    @Test
    void fieldsOutsideTheStoredFormAreSignedToo() {
        ObjectNode link = vectorStored();
        link.put("purpose", "calendar upkeep");

        ObjectNode signed = DelegationLinks.sign(link, SEED_07);

        assertThat(DelegationLinks.isSignedBy(signed, SEED_07.verifyingKey())).isTrue();
        signed.put("purpose", "anything");
        assertThat(DelegationLinks.isSignedBy(signed, SEED_07.verifyingKey())).isFalse();
    }

    @Test
    void linksSignedInTheLegacyKeyOrderStillVerify() {
        ObjectNode link = vectorStored();
        // Upper-case and underscore names sort differently under the legacy collation than under RFC 8785.
        link.put("Zone", "europe");
        link.put("a_b", 1);
        link.put("aB", 2);
        assertThat(CanonicalJson.legacy(link)).isNotEqualTo(CanonicalJson.rfc8785(link));
        ObjectNode signed = link.deepCopy();
        signed.put("signature", SEED_07.sign(CanonicalJson.legacyBytes(link)).base64Url());

        assertThat(DelegationLinks.isSignedBy(signed, SEED_07.verifyingKey())).isTrue();
    }

    @Test
    void malformedSignaturesDoNotVerify() {
        ObjectNode link = vectorStored();
        link.put("signature", "not base64!");
        assertThat(DelegationLinks.isSignedBy(link, SEED_07.verifyingKey())).isFalse();
        link.put("signature", 42);
        assertThat(DelegationLinks.isSignedBy(link, SEED_07.verifyingKey())).isFalse();
        link.remove("signature");
        assertThat(DelegationLinks.isSignedBy(link, SEED_07.verifyingKey())).isFalse();
    }

    @Test
    void createRequestDefaultsFillTheStoredForm() {
        JsonNode request = LoomJson.parse("{\"delegate\":\"loom://assistant.owner@node.test\","
                + "\"scope\":[\"task.create\"],\"signature\":\"sig\",\"extra\":true,\"id\":\"\",\"revocable\":false}");

        ObjectNode stored = DelegationLinks.fromCreateRequest(request, "loom://owner@node.test", CLOCK);

        assertThat(LoomIds.isValid(IdPrefix.DELEGATION, stored.get("id").stringValue())).isTrue();
        assertThat(stored.get("delegator").stringValue()).isEqualTo("loom://owner@node.test");
        assertThat(stored.get("created_at").stringValue()).isEqualTo("2026-02-16T20:45:00.000Z");
        assertThat(stored.get("expires_at").isNull()).isTrue();
        assertThat(stored.get("revocable").booleanValue()).isFalse();
        assertThat(stored.get("allow_sub_delegation").booleanValue()).isFalse();
        assertThat(stored.get("max_sub_delegation_depth").intValue()).isZero();
        assertThat(stored.get("key_id").isNull()).isTrue();
        assertThat(stored.get("signature").stringValue()).isEqualTo("sig");
        assertThat(stored.has("extra")).isFalse();
    }

    @Test
    void linkReadFromTheStoredFormWritesItBackUnchanged() {
        ObjectNode signed = DelegationLinks.sign(vectorStored(), SEED_07);

        DelegationLink link = DelegationLink.fromJson(signed);

        assertThat(link.toJson()).isEqualTo(signed);
        assertThat(LoomJson.write(link.toJson())).isEqualTo(LoomJson.write(signed));
        assertThat(link.unsignedJson()).isEqualTo(vectorStored());
        assertThat(DelegationLinks.isSignedBy(link.toJson(), SEED_07.verifyingKey())).isTrue();
    }

    private static ObjectNode vectorStored() {
        return DelegationLinks.fromCreateRequest(vectorRequest(), "loom://owner@node.test", CLOCK);
    }

    private static JsonNode vectorRequest() {
        return LoomJson.parse("{\"id\":\"dlg_01ARZ3NDEKTSV4RRFFQ69G5FD9\","
                + "\"delegate\":\"loom://assistant.owner@node.test\","
                + "\"scope\":[\"message.general@v1\"],\"created_at\":\"2026-02-16T20:30:00Z\","
                + "\"key_id\":\"k_sign_owner_1\"}");
    }

    private static byte[] filled(byte value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, value);
        return seed;
    }
}
