package org.loom.protocol.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key. Immutable and safe to share between threads.
 *
 * <p>Identities publish keys as SPKI PEM ({@code -----BEGIN PUBLIC KEY-----}) or as 32 raw bytes in base64url; both
 * are read here, and the point is checked to be on the curve when the key is read, not when it is first used.
 */
public final class VerifyingKey {

    private final byte[] raw;
    private final Ed25519PublicKeyParameters parameters;

    private VerifyingKey(byte[] raw) {
        this.raw = raw;
        try {
            this.parameters = new Ed25519PublicKeyParameters(raw, 0);
        } catch (RuntimeException e) {
            throw new InvalidKeyException("Public key is not a valid Ed25519 point", e);
        }
    }

    /** A public key from its SPKI PEM. */
    public static VerifyingKey fromSpkiPem(String pem) {
        return new VerifyingKey(Ed25519Der.rawPublicKey(Pem.parse(pem).requireLabel(Pem.PUBLIC_KEY).der()));
    }

    /**
     * A public key from an SPKI PEM, or derived from a PKCS#8 private key PEM: a key store may hold either, and both
     * name the same public key.
     */
    public static VerifyingKey fromPem(String pem) {
        Pem block = Pem.parse(pem);
        return switch (block.label()) {
            case Pem.PUBLIC_KEY -> new VerifyingKey(Ed25519Der.rawPublicKey(block.der()));
            case Pem.PRIVATE_KEY -> SigningKey.fromPkcs8Der(block.der()).verifyingKey();
            default -> throw new InvalidKeyException("Expected a PUBLIC KEY or PRIVATE KEY PEM block, found "
                    + block.label());
        };
    }

    /** A public key from its 32 raw bytes in base64url. */
    public static VerifyingKey fromRawBase64Url(String text) {
        byte[] raw;
        try {
            raw = Base64Url.decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("Public key is not base64url", e);
        }
        return fromRaw(raw);
    }

    /** A public key from its 32 raw bytes (copied). */
    public static VerifyingKey fromRaw(byte[] raw) {
        if (raw == null || raw.length != Ed25519Der.KEY_LENGTH) {
            throw new InvalidKeyException("An Ed25519 public key has 32 bytes");
        }
        return new VerifyingKey(raw.clone());
    }

    /** SPKI PEM with 64-character lines and a final line break. */
    public String toSpkiPem() {
        return Pem.armor(Pem.PUBLIC_KEY, Ed25519Der.spki(raw));
    }

    /** The 32 raw bytes in base64url, no padding. */
    public String rawBase64Url() {
        return Base64Url.encode(raw);
    }

    /** A copy of the 32 raw bytes. */
    public byte[] toRaw() {
        return raw.clone();
    }

    /** Whether {@code signature} is this key's Ed25519 signature (pure Ed25519, no context) over {@code message}. */
    public boolean verify(byte[] message, Signature signature) {
        // Straight to the precomputed public point: no signer object, no buffered copy of the message.
        return parameters.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature.toBytes(), 0);
    }

    /** {@link #verify(byte[], Signature)} over the UTF-8 bytes of {@code utf8Message}. */
    public boolean verify(String utf8Message, Signature signature) {
        return verify(utf8Message.getBytes(StandardCharsets.UTF_8), signature);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifyingKey that && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "VerifyingKey[Ed25519 " + rawBase64Url() + "]";
    }
}
