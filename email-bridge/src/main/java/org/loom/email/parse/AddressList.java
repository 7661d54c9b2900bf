package org.loom.email.parse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Reads address headers ({@code To}, {@code Cc}, {@code From}, ...) and the address strings of the bridge's JSON
 * form into mailboxes.
 *
 * <p>The grammar is RFC 5322's address-list, read leniently the way mail in the wild needs: quoted display names may
 * contain commas and escaped quotes, comments in parentheses (nested) are skipped, a group ({@code Team: a@x, b@y;}
 * or {@code undisclosed-recipients:;}) contributes its members, {@code ;} also separates items outside a group,
 * angle brackets may carry an obsolete source route, and display names may be RFC 2047 encoded. An item without an
 * {@code @} names nobody and is dropped. Addresses are lower-cased, because the node compares identities as exact
 * strings. An item that already is a {@code loom://} or {@code bridge://} identity is kept as written.
 */
public final class AddressList {

    private AddressList() {
    }

    /** Every mailbox of the header value, in order; empty for null or blank text. */
    public static List<EmailAddress> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<EmailAddress> out = new ArrayList<>();
        Reader reader = new Reader(text);
        while (!reader.atEnd()) {
            reader.readItem(out);
        }
        return Collections.unmodifiableList(out);
    }

    /** Reads several header values (a JSON array, repeated headers) into one list. */
    public static List<EmailAddress> parseAll(List<String> values) {
        List<EmailAddress> out = new ArrayList<>();
        for (String value : values) {
            out.addAll(parse(value));
        }
        return Collections.unmodifiableList(out);
    }

    private static final class Reader {
        private final String text;
        private int pos;
        private boolean inGroup;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        /** Reads up to and including the next separator, adding the mailbox it names, if any. */
        void readItem(List<EmailAddress> out) {
            skipSpace();
            if (startsWithIdentityScheme()) {
                int end = pos;
                while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != ';'
                        && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                out.add(new EmailAddress(null, text.substring(pos, end)));
                pos = end;
                skipToSeparator();
                return;
            }
            StringBuilder phrase = new StringBuilder();
            StringBuilder comment = new StringBuilder();
            String angle = null;
            while (!atEnd()) {
                char c = text.charAt(pos);
                if (c == '"') {
                    phrase.append(readQuoted());
                } else if (c == '(') {
                    String inner = readComment();
                    if (comment.isEmpty()) {
                        comment.append(inner);
                    }
                } else if (c == '<') {
                    angle = readAngle();
                } else if (c == ':' && !inGroup && angle == null) {
                    // A group: what came before is its name, which names no mailbox itself.
                    pos++;
                    inGroup = true;
                    phrase.setLength(0);
                    comment.setLength(0);
                    skipSpace();
                } else if (c == ',') {
                    pos++;
                    break;
                } else if (c == ';') {
                    pos++;
                    inGroup = false;
                    break;
                } else {
                    phrase.append(c);
                    pos++;
                }
            }
            String address = angle != null ? angle : phrase.toString().trim();
            String display = angle != null ? phrase.toString().trim() : comment.toString().trim();
            add(out, address, display);
        }

        private void add(List<EmailAddress> out, String rawAddress, String rawDisplay) {
            String address = rawAddress.replaceAll("\\s+", "");
            if (address.startsWith("<") && address.endsWith(">")) {
                address = address.substring(1, address.length() - 1);
            }
            if (address.startsWith("@") && address.contains(":")) {
                address = address.substring(address.indexOf(':') + 1);
            }
            if (address.indexOf('@') <= 0 || address.endsWith("@")) {
                return;
            }
            if (address.startsWith("loom://") || address.startsWith("bridge://")) {
                out.add(new EmailAddress(display(rawDisplay), address));
                return;
            }
            out.add(new EmailAddress(display(rawDisplay), address.toLowerCase(Locale.ROOT)));
        }

        private static String display(String raw) {
            String collapsed = raw.replaceAll("\\s+", " ").trim();
            if (collapsed.isEmpty()) {
                return null;
            }
            String decoded = EncodedWords.decode(collapsed).trim();
            return decoded.isEmpty() ? null : decoded;
        }

        private boolean startsWithIdentityScheme() {
            return text.regionMatches(true, pos, "loom://", 0, 7) || text.regionMatches(true, pos, "bridge://", 0, 9);
        }

        private void skipToSeparator() {
            while (!atEnd()) {
                char c = text.charAt(pos++);
                if (c == ',' || c == ';') {
                    return;
                }
            }
        }

        private void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        /** The content of a quoted string with its escapes resolved; the position ends after the closing quote. */
        private String readQuoted() {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (!atEnd()) {
                char c = text.charAt(pos++);
                if (c == '\\' && !atEnd()) {
                    sb.append(text.charAt(pos++));
                } else if (c == '"') {
                    return sb.toString();
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        /** A comment's text; comments nest and may contain escaped parentheses. */
        private String readComment() {
            StringBuilder sb = new StringBuilder();
            int depth = 0;
            while (!atEnd()) {
                char c = text.charAt(pos++);
                if (c == '\\' && !atEnd()) {
                    sb.append(text.charAt(pos++));
                } else if (c == '(') {
                    if (depth > 0) {
                        sb.append(c);
                    }
                    depth++;
                } else if (c == ')') {
                    depth--;
                    if (depth == 0) {
                        return sb.toString();
                    }
                    sb.append(c);
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        /** The text between angle brackets; quoted local parts inside are kept with their quotes. */
        private String readAngle() {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (!atEnd()) {
                char c = text.charAt(pos);
                if (c == '>') {
                    pos++;
                    return sb.toString();
                }
                if (c == '"') {
                    sb.append('"').append(readQuoted()).append('"');
                    continue;
                }
                if (c == '(') {
                    readComment();
                    continue;
                }
                sb.append(c);
                pos++;
            }
            return sb.toString();
        }
    }
}
