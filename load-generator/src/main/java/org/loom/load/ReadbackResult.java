package org.loom.load;

import java.util.List;

/**
 * The proof that accepted envelopes are stored: a sample of accepted ids read back one by one.
 *
 * @param sampled ids read back
 * @param found   answered 200 with the same id
 * @param missing answered 404
 * @param errors  any other answer or none
 * @param missingIds the ids not found (at most the first 20)
 */
public record ReadbackResult(int sampled, int found, int missing, int errors, List<String> missingIds) {

    public ReadbackResult {
        missingIds = List.copyOf(missingIds);
    }

    /** Every sampled id was found. */
    public boolean proven() {
        return found == sampled;
    }
}
