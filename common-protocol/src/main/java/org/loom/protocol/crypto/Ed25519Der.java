package org.loom.protocol.crypto;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The DER structures that carry Ed25519 keys (RFC 8410): SubjectPublicKeyInfo for public keys and PKCS#8
 * (OneAsymmetricKey) for private ones. Written in the one fixed form every implementation produces; read through an
 * ASN.1 parser so that the version-2 PKCS#8 form, which also carries the public key, is understood as well.
 */
final class Ed25519Der {

    static final int KEY_LENGTH = 32;

    /** id-Ed25519 (RFC 8410 §3). */
    private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private Ed25519Der() {
    }

    static byte[] spki(byte[] rawPublicKey) {
        return concat(SPKI_PREFIX, rawPublicKey);
    }

    static byte[] pkcs8(byte[] seed) {
        return concat(PKCS8_PREFIX, seed);
    }

    /** The 32-byte public key inside a SubjectPublicKeyInfo. */
    static byte[] rawPublicKey(byte[] spki) {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(spki);
        } catch (RuntimeException e) {
            throw new InvalidKeyException("Public key is not a DER SubjectPublicKeyInfo", e);
        }
        requireEd25519(info.getAlgorithm());
        return bitStringKey(info.getPublicKeyData(), "Public key");
    }

    /**
     * The 32-byte seed inside a PKCS#8 structure, together with the public key when the structure carries one
     * (null otherwise).
     */
    static PrivateParts privateParts(byte[] pkcs8) {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(pkcs8);
        } catch (RuntimeException e) {
            throw new InvalidKeyException("Private key is not a DER PKCS#8 structure", e);
        }
        requireEd25519(info.getPrivateKeyAlgorithm());
        ASN1Encodable inner;
        try {
            inner = info.parsePrivateKey();
        } catch (IOException | RuntimeException e) {
            throw new InvalidKeyException("Private key is not a DER PKCS#8 structure", e);
        }
        if (!(inner instanceof ASN1OctetString octets) || octets.getOctets().length != KEY_LENGTH) {
            throw new InvalidKeyException("Private key does not hold a 32-byte Ed25519 seed");
        }
        ASN1BitString embedded = info.getPublicKeyData();
        byte[] publicKey = embedded == null ? null : bitStringKey(embedded, "Private key");
        return new PrivateParts(octets.getOctets(), publicKey);
    }

    record PrivateParts(byte[] seed, byte[] publicKey) {
    }

    private static void requireEd25519(AlgorithmIdentifier algorithm) {
        if (algorithm == null || !ID_ED25519.equals(algorithm.getAlgorithm())) {
            throw new InvalidKeyException("Key is not an Ed25519 key");
        }
        // RFC 8410 §3: the parameters field must be absent.
        if (algorithm.getParameters() != null) {
            throw new InvalidKeyException("Ed25519 key algorithm must not carry parameters");
        }
    }

    private static byte[] bitStringKey(ASN1BitString bits, String what) {
        if (bits.getPadBits() != 0 || bits.getBytes().length != KEY_LENGTH) {
            throw new InvalidKeyException(what + " does not hold a 32-byte Ed25519 public key");
        }
        return bits.getBytes();
    }

    private static byte[] concat(byte[] prefix, byte[] key) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, out, prefix.length, key.length);
        return out;
    }
}
