package org.loom.protocol.crypto;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM armour (RFC 7468) around a DER structure: one block, nothing but whitespace around it.
 */
record Pem(String label, byte[] der) {

    static final String PUBLIC_KEY = "PUBLIC KEY";
    static final String PRIVATE_KEY = "PRIVATE KEY";

    private static final Pattern BLOCK = Pattern.compile(
            "\\s*-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END ([A-Z0-9 ]+)-----\\s*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final int LINE_LENGTH = 64;

    /**
     * Reads one PEM block. Keys often travel through environment variables with their line breaks written as the two
     * characters {@code \n}; those are read as line breaks.
     */
    static Pem parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidKeyException("Key PEM is empty");
        }
        String normalised = text.replace("\\r", "").replace("\\n", "\n");
        Matcher matcher = BLOCK.matcher(normalised);
        if (!matcher.matches() || !matcher.group(1).equals(matcher.group(3))) {
            throw new InvalidKeyException("Key is not a single PEM block");
        }
        String body = WHITESPACE.matcher(matcher.group(2)).replaceAll("");
        try {
            return new Pem(matcher.group(1), Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("Key PEM body is not valid base64", e);
        }
    }

    /** PEM text with 64-character lines and a final line break, the layout OpenSSL and Node write. */
    static String armor(String label, byte[] der) {
        String body = Base64.getEncoder().encodeToString(der);
        StringBuilder out = new StringBuilder(body.length() + 80);
        out.append("-----BEGIN ").append(label).append("-----\n");
        for (int start = 0; start < body.length(); start += LINE_LENGTH) {
            out.append(body, start, Math.min(body.length(), start + LINE_LENGTH)).append('\n');
        }
        out.append("-----END ").append(label).append("-----\n");
        return out.toString();
    }

    Pem requireLabel(String expected) {
        if (!label.equals(expected)) {
            throw new InvalidKeyException("Expected a " + expected + " PEM block, found " + label);
        }
        return this;
    }
}
