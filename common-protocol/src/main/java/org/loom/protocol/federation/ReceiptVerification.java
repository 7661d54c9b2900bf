package org.loom.protocol.federation;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of checking a delivery receipt: verified, or the first reason it is not.
 *
 * @param failure why the receipt was refused, or {@code null} when it verified
 */
public record ReceiptVerification(ReceiptFailure failure) {

    private static final ReceiptVerification VERIFIED = new ReceiptVerification(null);

    public static ReceiptVerification verified() {
        return VERIFIED;
    }

    public static ReceiptVerification failed(ReceiptFailure failure) {
        return new ReceiptVerification(Objects.requireNonNull(failure, "failure"));
    }

    public boolean isVerified() {
        return failure == null;
    }

    /** The failure reason as recorded on the outbox item ({@code missing_receipt}, ...), when there is one. */
    public Optional<String> reason() {
        return Optional.ofNullable(failure).map(ReceiptFailure::reason);
    }
}
