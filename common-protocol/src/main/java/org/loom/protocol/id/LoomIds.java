package org.loom.protocol.id;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identifiers as they appear on the wire: prefixed ULIDs, bearer tokens and request ids.
 */
public final class LoomIds {

    /** 26 upper-case Crockford characters. The first-character bound of a strict ULID is not required on input. */
    private static final Pattern ULID_TEXT = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

    private static final String ACCESS_TOKEN_PREFIX = "at_";
    private static final String REFRESH_TOKEN_PREFIX = "rt_";
    private static final String REQUEST_ID_PREFIX = "req_";
    private static final int TOKEN_BYTES = 16;

    private static final SecureRandom TOKEN_RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private LoomIds() {
    }

    /** A new id with the given prefix, from the process-wide monotonic generator. */
    public static String next(IdPrefix prefix) {
        return prefix.format(UlidGenerator.systemDefault().next());
    }

    /**
     * True when the text is the prefix followed by exactly 26 upper-case Crockford base32 characters. Ids from
     * elsewhere whose first character exceeds {@code 7} are accepted, as every node accepts them; they are opaque
     * strings once received.
     */
    public static boolean isValid(IdPrefix prefix, String text) {
        return text != null
                && text.startsWith(prefix.text())
                && ULID_TEXT.matcher(text).region(prefix.text().length(), text.length()).matches();
    }

    /** A new bearer access token: {@code at_} and 128 random bits as 32 lower-case hex characters. */
    public static String newAccessToken() {
        return ACCESS_TOKEN_PREFIX + randomHex();
    }

    /** A new refresh token: {@code rt_} and 128 random bits as 32 lower-case hex characters. */
    public static String newRefreshToken() {
        return REFRESH_TOKEN_PREFIX + randomHex();
    }

    /** A new request id: {@code req_} and a random (version 4) UUID with its dashes. */
    public static String newRequestId() {
        return REQUEST_ID_PREFIX + UUID.randomUUID();
    }

    private static String randomHex() {
        byte[] bytes = new byte[TOKEN_BYTES];
        TOKEN_RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
