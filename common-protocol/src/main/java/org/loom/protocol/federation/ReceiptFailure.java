package org.loom.protocol.federation;

/**
 * Why a delivery receipt was not accepted as proof of delivery. Checks run in the declared order; the first failing
 * one is reported.
 */
public enum ReceiptFailure {
    /** The response held no receipt object. */
    MISSING_RECEIPT("missing_receipt"),
    /** The node the delivery went to is no longer registered. */
    MISSING_NODE("missing_node"),
    /** The receipt was issued by another node than the one delivered to. */
    SENDER_NODE_MISMATCH("sender_node_mismatch"),
    /** The receipt acknowledges a delivery from another node. */
    RECIPIENT_NODE_MISMATCH("recipient_node_mismatch"),
    /** The receipt is for another delivery. */
    DELIVERY_ID_MISMATCH("delivery_id_mismatch"),
    /** The receipt's type is not the delivery receipt type. */
    RECEIPT_TYPE_INVALID("receipt_type_invalid"),
    /** The receipt has no signature value or key id. */
    MISSING_SIGNATURE("missing_signature"),
    /** The signing key is not one of the issuing node's keys. */
    KEY_ID_UNKNOWN("key_id_unknown"),
    /** The signature does not verify. */
    SIGNATURE_INVALID("signature_invalid");

    private final String reason;

    ReceiptFailure(String reason) {
        this.reason = reason;
    }

    /** The reason as recorded on the outbox item. */
    public String reason() {
        return reason;
    }
}
