package org.loom.email.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes RFC 2047 encoded words ({@code =?charset?B?...?=} and {@code =?charset?Q?...?=}) in header text.
 *
 * <p>Whitespace between two adjacent encoded words is dropped, as the RFC requires. Adjacent words in the same
 * charset and encoding are decoded together, because senders split multi-byte characters across words. A word that
 * cannot be decoded (unknown charset, broken base64) is left exactly as written rather than dropped, so the reader
 * still sees what arrived.
 */
public final class EncodedWords {

    // charset may carry an RFC 2231 language suffix (utf-8*en); the text may not contain '?' or whitespace.
    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s*]+)(?:\\*[^?\\s]*)?\\?([bBqQ])\\?([^?\\s]*)\\?=");

    private EncodedWords() {
    }

    /** The header text with every decodable encoded word replaced by its characters. */
    public static String decode(String text) {
        if (text == null || !text.contains("=?")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        Matcher m = WORD.matcher(text);
        int position = 0;
        Run run = null;
        while (m.find()) {
            String between = text.substring(position, m.start());
            boolean adjacent = run != null && between.isBlank();
            if (!adjacent) {
                if (run != null) {
                    out.append(run.finish());
                    run = null;
                }
                out.append(between);
            }
            String charsetName = m.group(1);
            char encoding = Character.toUpperCase(m.group(2).charAt(0));
            byte[] bytes = decodeBytes(encoding, m.group(3));
            Charset charset = charset(charsetName);
            if (bytes == null || charset == null) {
                if (run != null) {
                    out.append(run.finish());
                    run = null;
                }
                if (adjacent) {
                    out.append(between);
                }
                out.append(m.group());
            } else if (run != null && run.charset.equals(charset)) {
                run.bytes.writeBytes(bytes);
            } else {
                if (run != null) {
                    out.append(run.finish());
                }
                run = new Run(charset);
                run.bytes.writeBytes(bytes);
            }
            position = m.end();
        }
        if (run != null) {
            out.append(run.finish());
        }
        out.append(text, position, text.length());
        return out.toString();
    }

    private static byte[] decodeBytes(char encoding, String payload) {
        if (encoding == 'B') {
            try {
                return Base64.getMimeDecoder().decode(payload);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length());
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '_') {
                bytes.write(' ');
            } else if (c == '=' && i + 2 < payload.length()
                    && isHex(payload.charAt(i + 1)) && isHex(payload.charAt(i + 2))) {
                bytes.write(Integer.parseInt(payload.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '=') {
                return null;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name.toLowerCase(Locale.ROOT).equals("utf8") ? "UTF-8" : name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }

    private static final class Run {
        private final Charset charset;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Run(Charset charset) {
            this.charset = charset;
        }

        String finish() {
            return new String(bytes.toByteArray(), charset);
        }
    }
}
