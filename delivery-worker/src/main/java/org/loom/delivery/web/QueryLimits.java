package org.loom.delivery.web;

/** Reads {@code limit} values as the reference node does: absent, zero or not a number → the default; else clamped. */
public final class QueryLimits {

    private QueryLimits() {
    }

    /** The limit in {@code text}: {@code fallback} when absent or not a number, else floored and clamped to [1, max]. */
    public static int of(String text, int fallback, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (Double.isNaN(value) || value == 0) {
                return fallback;
            }
            return (int) Math.max(1, Math.min(max, Math.floor(value)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
