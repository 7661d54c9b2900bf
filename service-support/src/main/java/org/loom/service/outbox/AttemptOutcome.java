package org.loom.service.outbox;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one delivery attempt came to, as an {@link OutboxHandler} reports it. The outbox turns it into the item's next
 * state: delivered, queued again after a backoff, or failed (a dead letter).
 */
public sealed interface AttemptOutcome {

    /** The HTTP status the destination answered with, when there was an HTTP exchange; else null. */
    Integer httpStatus();

    /** The destination took the item. {@code result} (may be null) is stored with the item and shown in listings. */
    record Delivered(Integer httpStatus, ObjectNode result) implements AttemptOutcome {
        public Delivered {
            result = result == null ? null : result.deepCopy();
        }
    }

    /** The attempt failed for a reason that may pass: try again after a backoff, if attempts and time remain. */
    record Retry(String reason, Integer httpStatus) implements AttemptOutcome {
        public Retry {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The attempt failed for a reason another attempt cannot fix: the item becomes a dead letter at once. */
    record Permanent(String reason, Integer httpStatus) implements AttemptOutcome {
        public Permanent {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static AttemptOutcome delivered(Integer httpStatus) {
        return new Delivered(httpStatus, null);
    }

    static AttemptOutcome retry(String reason) {
        return new Retry(reason, null);
    }

    static AttemptOutcome permanent(String reason) {
        return new Permanent(reason, null);
    }
}
