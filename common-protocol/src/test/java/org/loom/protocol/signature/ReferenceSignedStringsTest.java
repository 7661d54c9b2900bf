package org.loom.protocol.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.json.CanonicalJson;
import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.node.ObjectNode;

/**
 * The signed strings of REF §2.6 other than the envelope: Ed25519 is deterministic, so signing each documented string
 * with the seed-0x07 key must give the documented signature.
 */
class ReferenceSignedStringsTest {

    private static final SigningKey KEY = seed07();

    @Test
    void authNonceSignatureMatches() {
        assertSignature("nonce_01ARZ3NDEKTSV4RRFFQ69G5FAV",
                "ShPbokZSVLwD5R1dC-HEui1LcEUSkBAMZvIW2yI1s7nuxj8b7PuAJleX4T_zk20DGSTSU2xmAGqHnLk-4sq-CQ");
    }

    @Test
    void delegationLinkCanonicalTextAndSignatureMatch() {
        ObjectNode link = LoomJson.mapper().createObjectNode()
                .put("id", "dlg_01ARZ3NDEKTSV4RRFFQ69G5FD9")
                .put("delegator", "loom://owner@node.test")
                .put("delegate", "loom://assistant.owner@node.test");
        link.putArray("scope").add("message.general@v1");
        link.put("created_at", "2026-02-16T20:30:00Z");
        link.putNull("expires_at");
        link.put("revocable", true).put("allow_sub_delegation", false).put("max_sub_delegation_depth", 0)
                .put("key_id", "k_sign_owner_1")
                .put("signature", "ignored");
        String documented = "{\"allow_sub_delegation\":false,\"created_at\":\"2026-02-16T20:30:00Z\","
                + "\"delegate\":\"loom://assistant.owner@node.test\",\"delegator\":\"loom://owner@node.test\","
                + "\"expires_at\":null,\"id\":\"dlg_01ARZ3NDEKTSV4RRFFQ69G5FD9\",\"key_id\":\"k_sign_owner_1\","
                + "\"max_sub_delegation_depth\":0,\"revocable\":true,\"scope\":[\"message.general@v1\"]}";
        ObjectNode unsigned = CanonicalJson.withoutTopLevel(link, "signature");
        assertThat(CanonicalJson.rfc8785(unsigned)).isEqualTo(documented);
        assertThat(CanonicalJson.legacy(unsigned)).isEqualTo(documented);
        assertSignature(documented,
                "bcIvhNt34x5923tHr1Sh4clHc4nw6qeYuA-TdUg8NwLugdZm2aSV9rdhD-l5uSOHSwuqMgTvTP5lACARRPcGCA");
    }

    @Test
    void federationRequestSignatureMatches() {
        String body = "{\"loom\":\"1.1\",\"sender_node\":\"remote.test\","
                + "\"delivery_id\":\"fdel_01ARZ3NDEKTSV4RRFFQ69G5FAV\","
                + "\"timestamp\":\"2026-02-16T21:10:00.000Z\",\"envelopes\":[]}";
        String hash = Sha256.hex(body);
        assertThat(hash).isEqualTo("bcd227818c2b9057f38a77d1b8a5b0ee505288c518833eb1442341f7fe4490f1");
        String signed = String.join("\n", "POST", "/v1/federation/deliver", hash, "2026-02-16T21:10:00.000Z",
                "nonce_01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assertSignature(signed,
                "B2bCUBPaHZDD00cQUNZ_cq-hyZTv63lGPvUO3YM_A37CCZHI_zSfYFGWF5nWM5wkxRlfvoJKADqpMV_e1MeXDA");
    }

    @Test
    void deliveryReceiptSignatureMatches() {
        String signed = String.join("\n", "1.1", "federation.delivery.receipt@v1", "fdel_01ARZ3NDEKTSV4RRFFQ69G5FAV",
                "node.test", "remote.test", "accepted", "2",
                "env_01ARZ3NDEKTSV4RRFFQ69G5FAV,env_01ARZ3NDEKTSV4RRFFQ69G5FAX", "2026-02-16T21:10:01.000Z");
        assertSignature(signed,
                "FouP5MN1ZK6Y1aVryDr_KpNdAz8ZYmVPuHrpL5_qaJMQH-r3FNpP2fXNM-bArkDB6esyj1vfB5ijtqTLQKuEBg");
    }

    private static void assertSignature(String message, String documented) {
        assertThat(KEY.sign(message).base64Url()).isEqualTo(documented);
        assertThat(KEY.verifyingKey().verify(message, Signature.fromBase64Url(documented))).isTrue();
        assertThat(KEY.verifyingKey().verify(message + " ", Signature.fromBase64Url(documented))).isFalse();
    }

    private static SigningKey seed07() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        return SigningKey.fromSeed(seed);
    }
}
