package org.loom.protocol.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class DeliveryReceiptTest {

    // REF §2.6: the receipt vector, signed with the key of seed 32 x 0x07.
    private static final SigningKey SEED_07 = SigningKey.fromSeed(filled((byte) 0x07));
    private static final String DELIVERY = "fdel_01ARZ3NDEKTSV4RRFFQ69G5FAV";
    private static final List<String> IDS = List.of("env_01ARZ3NDEKTSV4RRFFQ69G5FAV", "env_01ARZ3NDEKTSV4RRFFQ69G5FAX");
    private static final String VECTOR_STRING = "1.1\nfederation.delivery.receipt@v1\n" + DELIVERY
            + "\nnode.test\nremote.test\naccepted\n2\n"
            + "env_01ARZ3NDEKTSV4RRFFQ69G5FAV,env_01ARZ3NDEKTSV4RRFFQ69G5FAX\n2026-02-16T21:10:01.000Z";
    private static final String VECTOR_SIGNATURE =
            "FouP5MN1ZK6Y1aVryDr_KpNdAz8ZYmVPuHrpL5_qaJMQH-r3FNpP2fXNM-bArkDB6esyj1vfB5ijtqTLQKuEBg";
    private static final Clock VECTOR_TIME =
            Clock.fixed(Instant.parse("2026-02-16T21:10:01Z"), ZoneOffset.UTC);

    private final Nodes nodes = new Nodes().add("node.test", "k_node_sign_local_1", SEED_07.verifyingKey());

    @Test
    void signingStringOfTheVectorReceipt() {
        DeliveryReceipt receipt = DeliveryReceipt.accepted(DELIVERY, "node.test", "remote.test", IDS, VECTOR_TIME);

        assertThat(receipt.signingString()).isEqualTo(VECTOR_STRING);
    }

    @Test
    void signingTheVectorReceiptGivesTheVectorSignature() {
        DeliveryReceipt signed = DeliveryReceipt.accepted(DELIVERY, "node.test", "remote.test", IDS, VECTOR_TIME)
                .sign(SEED_07, "k_node_sign_local_1");

        assertThat(signed.signature().value().base64Url()).isEqualTo(VECTOR_SIGNATURE);
        assertThat(signed.toJson().propertyNames()).containsExactly("loom", "type", "delivery_id", "sender_node",
                "recipient_node", "status", "accepted_count", "accepted_envelope_ids", "timestamp", "signature");
    }

    @Test
    void vectorReceiptVerifies() {
        ObjectNode receipt = vectorReceipt();

        ReceiptVerification result =
                DeliveryReceipt.verify(receipt, "node.test", "remote.test", DELIVERY, nodes);

        assertThat(result.isVerified()).isTrue();
        assertThat(result.reason()).isEmpty();
    }

    @Test
    void signingStringOfAReceivedReceiptFillsGapsAndCleansIds() {
        JsonNode sparse = LoomJson.parse("{\"loom\":\"1.1\",\"delivery_id\":\"d\",\"accepted_count\":2.0,"
                + "\"accepted_envelope_ids\":[\" env_a \",\"\",\"env_b\",\"  \"],\"status\":null}");

        assertThat(DeliveryReceipt.signingString(sparse)).isEqualTo("1.1\n\nd\n\n\n\n2\nenv_a,env_b\n");
        assertThat(DeliveryReceipt.signingString(LoomJson.parse("{}"))).isEqualTo("\n\n\n\n\n\n\n\n");
    }

    @Test
    void receiptSignatureSurvivesTheWire() {
        SigningKey key = SigningKey.generate();
        DeliveryReceipt signed = DeliveryReceipt.accepted("fdel_01ARZ3NDEKTSV4RRFFQ69G5FB0", "node.b", "node.a",
                List.of("env_01ARZ3NDEKTSV4RRFFQ69G5FAV"), Clock.systemUTC()).sign(key, "kb");
        JsonNode wire = LoomJson.parse(LoomJson.write(signed.toJson()));

        ReceiptVerification result = DeliveryReceipt.verify(wire, "node.b", "node.a",
                "fdel_01ARZ3NDEKTSV4RRFFQ69G5FB0", new Nodes().add("node.b", "kb", key.verifyingKey()));

        assertThat(result.isVerified()).isTrue();
    }

    @Test
    void reportsAMissingReceipt() {
        assertFailure(null, nodes, "missing_receipt");
        assertFailure(LoomJson.parse("\"ok\""), nodes, "missing_receipt");
    }

    @Test
    void reportsAnUnknownNode() {
        assertFailure(vectorReceipt(), new Nodes(), "missing_node");
    }

    @Test
    void reportsEachMismatchInOrder() {
        assertFailure(changed(r -> {
            r.put("sender_node", "evil.test");
            r.put("recipient_node", "x");
        }), nodes, "sender_node_mismatch");
        assertFailure(changed(r -> {
            r.put("recipient_node", "other.test");
            r.put("delivery_id", "fdel_x");
        }), nodes, "recipient_node_mismatch");
        assertFailure(changed(r -> {
            r.put("delivery_id", "fdel_01ARZ3NDEKTSV4RRFFQ69G5FAW");
            r.put("type", "receipt");
        }), nodes, "delivery_id_mismatch");
        assertFailure(changed(r -> {
            r.put("type", "receipt@v1");
            r.remove("signature");
        }), nodes, "receipt_type_invalid");
    }

    @Test
    void reportsAMissingSignature() {
        assertFailure(changed(r -> r.remove("signature")), nodes, "missing_signature");
        assertFailure(changed(r -> ((ObjectNode) r.get("signature")).put("value", "")), nodes, "missing_signature");
        assertFailure(changed(r -> ((ObjectNode) r.get("signature")).remove("key_id")), nodes, "missing_signature");
    }

    @Test
    void reportsAKeyTheNodeDoesNotHave() {
        assertFailure(changed(r -> ((ObjectNode) r.get("signature")).put("key_id", "k_other")), nodes,
                "key_id_unknown");
    }

    @Test
    void reportsAnInvalidSignature() {
        assertFailure(changed(r -> r.put("accepted_count", 3)), nodes, "signature_invalid");
        assertFailure(changed(r -> r.putArray("accepted_envelope_ids").add("env_01ARZ3NDEKTSV4RRFFQ69G5FAV")),
                nodes, "signature_invalid");
        assertFailure(changed(r -> ((ObjectNode) r.get("signature")).put("value", "bm90IGEgc2lnbmF0dXJl")), nodes,
                "signature_invalid");
        assertFailure(changed(r -> ((ObjectNode) r.get("signature")).put("algorithm", "HS256")), nodes,
                "signature_invalid");
        Nodes rotated = new Nodes().add("node.test", "k_node_sign_local_1", SigningKey.generate().verifyingKey());
        assertFailure(vectorReceipt(), rotated, "signature_invalid");
    }

    @Test
    void signedStringIsUtf8() {
        DeliveryReceipt receipt = DeliveryReceipt.accepted("fdel_é", "nöde", "remote", List.of(), VECTOR_TIME)
                .sign(SEED_07, "k");
        assertThat(SEED_07.verifyingKey().verify(receipt.signingString().getBytes(StandardCharsets.UTF_8),
                receipt.signature().value())).isTrue();
    }

    private static ObjectNode vectorReceipt() {
        ObjectNode receipt = (ObjectNode) LoomJson.parse("{\"loom\":\"1.1\","
                + "\"type\":\"federation.delivery.receipt@v1\",\"delivery_id\":\"" + DELIVERY + "\","
                + "\"sender_node\":\"node.test\",\"recipient_node\":\"remote.test\",\"status\":\"accepted\","
                + "\"accepted_count\":2,\"accepted_envelope_ids\":[\"env_01ARZ3NDEKTSV4RRFFQ69G5FAV\","
                + "\"env_01ARZ3NDEKTSV4RRFFQ69G5FAX\"],\"timestamp\":\"2026-02-16T21:10:01.000Z\"}");
        ObjectNode signature = receipt.putObject("signature");
        signature.put("algorithm", "Ed25519");
        signature.put("key_id", "k_node_sign_local_1");
        signature.put("value", VECTOR_SIGNATURE);
        return receipt;
    }

    private static ObjectNode changed(Consumer<ObjectNode> change) {
        ObjectNode receipt = vectorReceipt();
        change.accept(receipt);
        return receipt;
    }

    private static void assertFailure(JsonNode receipt, NodeKeyDirectory directory, String reason) {
        ReceiptVerification result = DeliveryReceipt.verify(receipt, "node.test", "remote.test", DELIVERY, directory);
        assertThat(result.isVerified()).isFalse();
        assertThat(result.reason()).contains(reason);
    }

    /** Registered nodes and their keys: the test data receipts are judged against. */
    private static final class Nodes implements NodeKeyDirectory {
        private final Map<String, Map<String, VerifyingKey>> keys = new HashMap<>();

        Nodes add(String nodeId, String keyId, VerifyingKey key) {
            keys.computeIfAbsent(nodeId, id -> new HashMap<>()).put(keyId, key);
            return this;
        }

        @Override
        public boolean isKnownNode(String nodeId) {
            return keys.containsKey(nodeId);
        }

        @Override
        public Optional<VerifyingKey> signingKey(String nodeId, String keyId) {
            return Optional.ofNullable(keys.getOrDefault(nodeId, Map.of()).get(keyId));
        }
    }

    private static byte[] filled(byte value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, value);
        return seed;
    }
}
