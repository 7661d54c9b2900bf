package org.loom.protocol.federation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.json.CanonicalJson;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signed receipt a node returns for a federation delivery it accepted.
 *
 * <p>The signature covers nine lines: {@code loom}, {@code type}, {@code delivery_id}, {@code sender_node},
 * {@code recipient_node}, {@code status}, {@code accepted_count}, the accepted envelope ids joined by commas, and
 * {@code timestamp}. Here {@code sender_node} is the node that issues the receipt (it received the delivery) and
 * {@code recipient_node} is the node that made the delivery.
 *
 * @param loom                protocol version, {@code 1.1}
 * @param type                {@value #TYPE}
 * @param deliveryId          the delivery acknowledged
 * @param senderNode          the issuing node
 * @param recipientNode       the delivering node
 * @param status              {@value #ACCEPTED}
 * @param acceptedCount       how many envelopes were accepted
 * @param acceptedEnvelopeIds their ids
 * @param timestamp           when the receipt was issued
 * @param signature           the issuing node's signature, or {@code null} before signing
 */
public record DeliveryReceipt(
        String loom,
        String type,
        String deliveryId,
        String senderNode,
        String recipientNode,
        String status,
        int acceptedCount,
        List<String> acceptedEnvelopeIds,
        String timestamp,
        ReceiptSignature signature) {

    /** The receipt type. */
    public static final String TYPE = "federation.delivery.receipt@v1";
    /** The status of a delivery whose envelopes were all accepted. */
    public static final String ACCEPTED = "accepted";

    private static final String LOOM_VERSION = "1.1";
    private static final List<String> SIGNED_FIELDS = List.of("loom", "type", "delivery_id", "sender_node",
            "recipient_node", "status", "accepted_count", "accepted_envelope_ids", "timestamp");

    public DeliveryReceipt {
        Objects.requireNonNull(loom, "loom");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(senderNode, "senderNode");
        Objects.requireNonNull(recipientNode, "recipientNode");
        Objects.requireNonNull(status, "status");
        acceptedEnvelopeIds = List.copyOf(acceptedEnvelopeIds);
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /**
     * An unsigned receipt for an accepted delivery, stamped now.
     *
     * @param issuingNode     this node, which received the delivery
     * @param deliveringNode  the node that made it
     * @param acceptedIds     the ids of the envelopes accepted, in delivery order
     */
    public static DeliveryReceipt accepted(String deliveryId, String issuingNode, String deliveringNode,
            List<String> acceptedIds, Clock clock) {
        return new DeliveryReceipt(LOOM_VERSION, TYPE, deliveryId, issuingNode, deliveringNode, ACCEPTED,
                acceptedIds.size(), acceptedIds, Timestamps.now(clock), null);
    }

    /** The string the signature covers. */
    public String signingString() {
        return signingString(toJson());
    }

    /** The same receipt signed with the node's federation key; an earlier signature is replaced. */
    public DeliveryReceipt sign(SigningKey nodeKey, String keyId) {
        Signature value = nodeKey.sign(signingString().getBytes(StandardCharsets.UTF_8));
        return new DeliveryReceipt(loom, type, deliveryId, senderNode, recipientNode, status, acceptedCount,
                acceptedEnvelopeIds, timestamp, new ReceiptSignature(ReceiptSignature.ED25519, keyId, value));
    }

    /** The receipt in wire form; the signature is left out while there is none. */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("loom", loom);
        out.put("type", type);
        out.put("delivery_id", deliveryId);
        out.put("sender_node", senderNode);
        out.put("recipient_node", recipientNode);
        out.put("status", status);
        out.put("accepted_count", acceptedCount);
        ArrayNode ids = out.putArray("accepted_envelope_ids");
        acceptedEnvelopeIds.forEach(ids::add);
        out.put("timestamp", timestamp);
        if (signature != null) {
            ObjectNode block = out.putObject("signature");
            block.put("algorithm", signature.algorithm());
            block.put("key_id", signature.keyId());
            block.put("value", signature.value().base64Url());
        }
        return out;
    }

    /**
     * The signed string of a receipt as received. A missing or {@code null} field is an empty line; numbers are
     * written as JSON writes them; the envelope ids are trimmed, blank ones dropped, and joined with commas.
     */
    public static String signingString(JsonNode receipt) {
        List<String> lines = new ArrayList<>(SIGNED_FIELDS.size());
        for (String field : SIGNED_FIELDS) {
            JsonNode value = receipt == null ? null : receipt.get(field);
            lines.add(field.equals("accepted_envelope_ids") ? joinedIds(value) : scalarText(value));
        }
        return String.join("\n", lines);
    }

    /**
     * Checks a receipt returned for a delivery this node made.
     *
     * @param receipt            the {@code receipt} member of the response, or {@code null}
     * @param expectedSender     the node the delivery went to, which must have issued the receipt
     * @param expectedRecipient  this node
     * @param expectedDeliveryId the delivery's id
     * @param nodes              the node registry
     */
    public static ReceiptVerification verify(JsonNode receipt, String expectedSender, String expectedRecipient,
            String expectedDeliveryId, NodeKeyDirectory nodes) {
        if (receipt == null || !receipt.isObject()) {
            return ReceiptVerification.failed(ReceiptFailure.MISSING_RECEIPT);
        }
        if (!nodes.isKnownNode(expectedSender)) {
            return ReceiptVerification.failed(ReceiptFailure.MISSING_NODE);
        }
        if (!Objects.equals(text(receipt, "sender_node"), expectedSender)) {
            return ReceiptVerification.failed(ReceiptFailure.SENDER_NODE_MISMATCH);
        }
        if (!Objects.equals(text(receipt, "recipient_node"), expectedRecipient)) {
            return ReceiptVerification.failed(ReceiptFailure.RECIPIENT_NODE_MISMATCH);
        }
        if (!Objects.equals(text(receipt, "delivery_id"), expectedDeliveryId)) {
            return ReceiptVerification.failed(ReceiptFailure.DELIVERY_ID_MISMATCH);
        }
        if (!TYPE.equals(text(receipt, "type"))) {
            return ReceiptVerification.failed(ReceiptFailure.RECEIPT_TYPE_INVALID);
        }
        JsonNode block = receipt.get("signature");
        String keyId = text(block, "key_id");
        String value = text(block, "value");
        if (keyId == null || keyId.isEmpty() || value == null || value.isEmpty()) {
            return ReceiptVerification.failed(ReceiptFailure.MISSING_SIGNATURE);
        }
        Optional<VerifyingKey> key = nodes.signingKey(expectedSender, keyId);
        if (key.isEmpty()) {
            return ReceiptVerification.failed(ReceiptFailure.KEY_ID_UNKNOWN);
        }
        JsonNode algorithm = block.get("algorithm");
        boolean ed25519 = algorithm == null || algorithm.isNull()
                || ReceiptSignature.ED25519.equals(text(block, "algorithm"));
        byte[] signed = signingString(receipt).getBytes(StandardCharsets.UTF_8);
        boolean valid = ed25519 && Signature.tryParse(value)
                .map(signature -> key.get().verify(signed, signature))
                .orElse(false);
        return valid ? ReceiptVerification.verified() : ReceiptVerification.failed(ReceiptFailure.SIGNATURE_INVALID);
    }

    private static String text(JsonNode object, String field) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode value = object.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static String scalarText(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isNumber() || value.isBoolean()) {
            return CanonicalJson.rfc8785(value);
        }
        return "";
    }

    private static String joinedIds(JsonNode value) {
        if (value == null || !value.isArray()) {
            return "";
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : value) {
            String id = scalarText(entry).trim();
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return String.join(",", ids);
    }
}
