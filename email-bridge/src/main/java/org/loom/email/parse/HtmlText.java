package org.loom.email.parse;

import java.util.regex.Pattern;

/** Plain text from an HTML body, for mail that arrives without a text part. */
public final class HtmlText {

    private static final Pattern HIDDEN = Pattern.compile("(?is)<(style|script)\\b[^>]*>.*?</\\1\\s*>");
    private static final Pattern BREAKS = Pattern.compile("(?i)<\\s*(br|/p|/div|/li|/tr|/h[1-6])\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private HtmlText() {
    }

    /**
     * Drops style and script blocks and tags, decodes the common entities and collapses white space, keeping line
     * breaks where the markup had block ends so paragraphs stay apart.
     */
    public static String toText(String html) {
        if (html == null) {
            return "";
        }
        String text = HIDDEN.matcher(html).replaceAll(" ");
        text = BREAKS.matcher(text).replaceAll("\n");
        text = TAG.matcher(text).replaceAll(" ");
        text = decodeEntities(text);
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            String collapsed = line.replaceAll("[ \\t\\x0B\\f\\r\\u00A0]+", " ").strip();
            if (!collapsed.isEmpty()) {
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append(collapsed);
            }
        }
        return out.toString();
    }

    private static String decodeEntities(String text) {
        return text.replaceAll("(?i)&nbsp;", " ")
                .replaceAll("(?i)&lt;", "<")
                .replaceAll("(?i)&gt;", ">")
                .replaceAll("(?i)&quot;", "\"")
                .replaceAll("(?i)&#39;|&apos;", "'")
                .replaceAll("(?i)&amp;", "&");
    }

    /** HTML for a plain text body: the text escaped inside a {@code <pre>} block, so nothing in it is markup. */
    public static String fromText(String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<pre>" + escaped + "</pre>";
    }
}
