package org.loom.protocol.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key. Immutable and safe to share between threads; Ed25519 signing is deterministic, so the same
 * key and message always give the same signature.
 *
 * <p>{@link #toString()} never shows key material.
 */
public final class SigningKey {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ed25519PrivateKeyParameters parameters;
    private final VerifyingKey verifyingKey;

    private SigningKey(byte[] seed) {
        this.parameters = new Ed25519PrivateKeyParameters(seed, 0);
        this.verifyingKey = VerifyingKey.fromRaw(parameters.generatePublicKey().getEncoded());
    }

    /** A fresh key from a strong random source. */
    public static SigningKey generate() {
        byte[] seed = new byte[Ed25519Der.KEY_LENGTH];
        RANDOM.nextBytes(seed);
        try {
            return new SigningKey(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The key of a 32-byte seed (RFC 8032 private key). */
    public static SigningKey fromSeed(byte[] seed32) {
        if (seed32 == null || seed32.length != Ed25519Der.KEY_LENGTH) {
            throw new InvalidKeyException("An Ed25519 seed has 32 bytes");
        }
        return new SigningKey(seed32.clone());
    }

    /**
     * A key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). Literal {@code \n} sequences count as line breaks,
     * so a PEM pasted into one environment variable line is read too.
     */
    public static SigningKey fromPkcs8Pem(String pem) {
        return fromPkcs8Der(Pem.parse(pem).requireLabel(Pem.PRIVATE_KEY).der());
    }

    static SigningKey fromPkcs8Der(byte[] der) {
        Ed25519Der.PrivateParts parts = Ed25519Der.privateParts(der);
        SigningKey key = new SigningKey(parts.seed());
        // A version-2 structure also states the public key; one that disagrees with the seed is corrupt.
        if (parts.publicKey() != null && !key.verifyingKey.equals(VerifyingKey.fromRaw(parts.publicKey()))) {
            throw new InvalidKeyException("Private key's embedded public key does not match its seed");
        }
        return key;
    }

    /** PKCS#8 PEM with a final line break. */
    public String toPkcs8Pem() {
        byte[] seed = parameters.getEncoded();
        try {
            return Pem.armor(Pem.PRIVATE_KEY, Ed25519Der.pkcs8(seed));
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    /** Pure Ed25519 (no prehash, no context) over {@code message}. */
    public Signature sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, parameters);
        signer.update(message, 0, message.length);
        return Signature.fromBytes(signer.generateSignature());
    }

    /** {@link #sign(byte[])} over the UTF-8 bytes of {@code utf8Message}. */
    public Signature sign(String utf8Message) {
        return sign(utf8Message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "SigningKey[Ed25519, public " + verifyingKey.rawBase64Url() + "]";
    }
}
