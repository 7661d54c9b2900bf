package org.loom.gateway.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two requests with one idempotency key "the same request": lower-case hex SHA-256 over the method, a line
 * feed, the path, a line feed, and the body bytes exactly as received.
 *
 * <p>The raw bytes are hashed rather than a re-serialised parse, so a retry must resend the identical body; any change,
 * even in spacing or member order, is a different request.
 */
final class RequestHash {

    private RequestHash() {
    }

    static String of(String method, String path, byte[] body) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        sha256.update((method + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
        sha256.update(body);
        return HexFormat.of().formatHex(sha256.digest());
    }
}
