package org.loom.protocol.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the protocol's hash for bodies, blobs and the audit chain. Hex output is lowercase, as every signed
 * string that embeds a digest expects.
 */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    public static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Lowercase hex of the digest of {@code data}. */
    public static String hex(byte[] data) {
        return HEX.formatHex(digest(data));
    }

    /** Lowercase hex of the digest of the UTF-8 bytes of {@code utf8}. */
    public static String hex(String utf8) {
        return hex(utf8.getBytes(StandardCharsets.UTF_8));
    }
}
