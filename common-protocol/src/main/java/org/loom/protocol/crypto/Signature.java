package org.loom.protocol.crypto;

import java.util.Arrays;
import java.util.Optional;

/**
 * An Ed25519 signature: exactly 64 bytes. Immutable; its text form is base64url without padding.
 */
public final class Signature {

    /** Length of an Ed25519 signature in bytes. */
    public static final int LENGTH = 64;

    private final byte[] bytes;

    private Signature(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Reads a signature as peers send it: base64url, though standard base64 and padding are accepted too.
     *
     * @throws IllegalArgumentException when the text is not base64 or does not hold exactly 64 bytes
     */
    public static Signature fromBase64Url(String text) {
        byte[] decoded = Base64Url.decodeLenient(text);
        if (decoded.length != LENGTH) {
            throw new IllegalArgumentException(
                    "an Ed25519 signature has " + LENGTH + " bytes, this text holds " + decoded.length);
        }
        return new Signature(decoded);
    }

    /** {@link #fromBase64Url}, empty instead of an exception for anything that is not a signature. */
    public static Optional<Signature> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromBase64Url(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Wraps 64 signature bytes (copied). */
    public static Signature fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 signature has " + LENGTH + " bytes");
        }
        return new Signature(bytes.clone());
    }

    /** The canonical text form: base64url, no padding. */
    public String base64Url() {
        return Base64Url.encode(bytes);
    }

    /** A copy of the 64 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Signature that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Signature[" + base64Url() + "]";
    }
}
