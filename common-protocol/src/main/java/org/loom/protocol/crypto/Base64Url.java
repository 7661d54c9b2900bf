package org.loom.protocol.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * Base64url (RFC 4648 §5) as the protocol writes it: URL alphabet, no padding.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private static final int[] SEXTETS = new int[128];

    static {
        Arrays.fill(SEXTETS, -1);
        String standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < standard.length(); i++) {
            SEXTETS[standard.charAt(i)] = i;
        }
        SEXTETS['-'] = 62;
        SEXTETS['_'] = 63;
    }

    private Base64Url() {
    }

    /** URL alphabet, no padding. */
    public static String encode(byte[] data) {
        return ENCODER.encodeToString(data);
    }

    /**
     * Strict decoding: URL alphabet only, correct padding tolerated, and the text must be the one canonical
     * encoding of its bytes (no stray bits in the last character), so that one value has one spelling.
     *
     * @throws IllegalArgumentException when the text is not canonical base64url
     */
    public static byte[] decode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("base64url text is missing");
        }
        byte[] data = DECODER.decode(text);
        if (!encode(data).equals(stripPadding(text))) {
            throw new IllegalArgumentException("base64url text is not in canonical form");
        }
        return data;
    }

    /**
     * Lenient decoding for values other software encoded: the standard and URL alphabets may be mixed, and padding
     * ends the data. Leftover bits that do not make a whole byte are dropped. The result need not have the length
     * the caller expects; callers check that.
     *
     * @throws IllegalArgumentException when the text holds a character of neither alphabet, or data after padding
     */
    public static byte[] decodeLenient(String text) {
        if (text == null) {
            throw new IllegalArgumentException("base64 text is missing");
        }
        String data = stripPadding(text);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length() * 3 / 4);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            int sextet = c < 128 ? SEXTETS[c] : -1;
            if (sextet < 0) {
                throw new IllegalArgumentException("not a base64 character at index " + i);
            }
            buffer = (buffer << 6) | sextet;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out.write((buffer >> bits) & 0xFF);
            }
        }
        return out.toByteArray();
    }

    private static String stripPadding(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        return text.substring(0, end);
    }
}
