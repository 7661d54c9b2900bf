package org.loom.envelope.read;

import org.loom.protocol.error.LoomException;

/** The {@code limit} query parameter of list routes that clamp it into their range, as the reference node does. */
public final class QueryLimits {

    private QueryLimits() {
    }

    /**
     * The limit named by {@code text}: {@code defaultLimit} when absent, else the integer clamped to 1..{@code max}.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} "limit must be an integer" {@code {field: "limit"}}
     */
    public static int clamped(String text, int defaultLimit, int max) {
        if (text == null || text.isEmpty()) {
            return defaultLimit;
        }
        try {
            return Math.max(1, Math.min(max, Integer.parseInt(text.strip())));
        } catch (NumberFormatException e) {
            throw LoomException.invalid("limit must be an integer", LoomException.details("field", "limit"));
        }
    }
}
