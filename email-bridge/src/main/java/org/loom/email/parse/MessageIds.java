package org.loom.email.parse;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message-ID lists as found in {@code Message-ID}, {@code In-Reply-To} and {@code References}.
 *
 * <p>When the text has bracketed ids ({@code <a@x> <b@y>}) only those count, so comments and phrases some clients
 * put around them are ignored; otherwise the text is split on white space and commas. Ids come back without their
 * brackets, once each, in order of first appearance.
 */
public final class MessageIds {

    private static final Pattern BRACKETED = Pattern.compile("<([^<>]*)>");

    private MessageIds() {
    }

    public static List<String> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = BRACKETED.matcher(text);
        boolean bracketed = false;
        while (m.find()) {
            bracketed = true;
            add(ids, m.group(1));
        }
        if (!bracketed) {
            for (String token : text.split("[\\s,]+")) {
                add(ids, token);
            }
        }
        return List.copyOf(ids);
    }

    /** Parses several values (repeated headers, JSON arrays) into one list without repeats. */
    public static List<String> parseAll(List<String> values) {
        Set<String> ids = new LinkedHashSet<>();
        for (String value : values) {
            ids.addAll(parse(value));
        }
        return List.copyOf(ids);
    }

    /** The first id of the text, if it has one. */
    public static String first(String text) {
        List<String> ids = parse(text);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** The id in header form, {@code <id>}. */
    public static String bracket(String id) {
        return id.startsWith("<") && id.endsWith(">") ? id : "<" + id + ">";
    }

    private static void add(Set<String> ids, String raw) {
        String id = raw.strip();
        if (id.startsWith("<")) {
            id = id.substring(1);
        }
        if (id.endsWith(">")) {
            id = id.substring(0, id.length() - 1);
        }
        id = id.replaceAll("\\s+", "");
        if (!id.isEmpty()) {
            ids.add(id);
        }
    }

}
