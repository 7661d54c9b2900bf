package org.loom.protocol.error;

/**
 * The protocol's error registry (spec §24.2) plus the codes the reference node adds, each with the HTTP status it is
 * answered with. This is the only place a code is tied to a status.
 */
public enum ErrorCode {
    ENVELOPE_INVALID(400),
    SIGNATURE_INVALID(401),
    DELEGATION_INVALID(403),
    CAPABILITY_DENIED(403),
    AUDIENCE_DENIED(403),
    ENCRYPTION_REQUIRED(403),
    LEGAL_HOLD_ACTIVE(403),
    IDENTITY_NOT_FOUND(404),
    THREAD_NOT_FOUND(404),
    ENVELOPE_NOT_FOUND(404),
    ENVELOPE_DUPLICATE(409),
    THREAD_LOCKED(409),
    STATE_TRANSITION_INVALID(409),
    /** Not in the spec: an idempotency key reused with a different request. */
    IDEMPOTENCY_CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    RATE_LIMIT_EXCEEDED(429),
    INTERNAL_ERROR(500),
    NODE_UNREACHABLE(502),
    BRIDGE_DELIVERY_FAILED(502),
    /**
     * Not in the spec: the node accepted the command but could not confirm its outcome in time; the client retries
     * with the same idempotency key to learn it.
     */
    DECISION_PENDING(503),
    DELIVERY_TIMEOUT(504);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
