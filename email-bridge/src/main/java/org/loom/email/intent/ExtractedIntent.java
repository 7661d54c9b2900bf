package org.loom.email.intent;

import java.util.Objects;

/**
 * The intent read from an email, never authoritative: a client shows it as a guess (spec §21.2).
 *
 * @param intent     a versioned intent of the registry ({@code message.general@v1}, ...)
 * @param confidence how sure the extraction is, between 0 and 1
 * @param rule       the name of the rule that matched, recorded so a reader can see why
 */
public record ExtractedIntent(String intent, double confidence, String rule) {

    public ExtractedIntent {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(rule, "rule");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1: " + confidence);
        }
    }

    /** The same intent with the confidence a caller stated (the reference's {@code extraction_confidence}). */
    public ExtractedIntent withConfidence(double stated) {
        return new ExtractedIntent(intent, Math.max(0, Math.min(1, stated)), rule);
    }
}
