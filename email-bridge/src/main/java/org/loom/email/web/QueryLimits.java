package org.loom.email.web;

/** The {@code limit} query parameter of the bridge's listings. */
public final class QueryLimits {

    private QueryLimits() {
    }

    /** The limit as given; the default when absent or not an integer (the reference node would list nothing). */
    public static int parse(String text, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
