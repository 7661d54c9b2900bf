package org.loom.envelope.search;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.loom.envelope.read.QueryLimits;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.time.Timestamps;

/**
 * The parameters of {@code GET /v1/search}: every one optional, all given ones must match.
 *
 * @param text     {@code q}: case-insensitive substring of the envelope's searchable text or its thread's metadata
 * @param from     {@code from}: exact sender identity
 * @param type     {@code type}: exact envelope type
 * @param intent   {@code intent}: exact {@code content.structured.intent}
 * @param threadId {@code thread_id}: exact thread
 * @param label    {@code label}: the caller's mailbox label on the envelope's thread (e.g. {@code sys.inbox})
 * @param afterMs  {@code after}: created at or after, epoch milliseconds
 * @param beforeMs {@code before}: created at or before, epoch milliseconds
 * @param limit    {@code limit}: results per answer, 1 to {@value #MAX_LIMIT} (default {@value #DEFAULT_LIMIT})
 */
public record SearchQuery(Optional<String> text, Optional<String> from, Optional<String> type,
        Optional<String> intent, Optional<String> threadId, Optional<String> label, OptionalLong afterMs,
        OptionalLong beforeMs, int limit) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    public SearchQuery {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(afterMs, "afterMs");
        Objects.requireNonNull(beforeMs, "beforeMs");
    }

    /**
     * The query named by request parameters.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} for a limit that is not an integer or a bound that is not an
     *                       RFC 3339 timestamp
     */
    public static SearchQuery of(Map<String, String> parameters) {
        return new SearchQuery(given(parameters, "q"), given(parameters, "from"), given(parameters, "type"),
                given(parameters, "intent"), given(parameters, "thread_id"), given(parameters, "label"),
                bound(parameters, "after"), bound(parameters, "before"),
                QueryLimits.clamped(parameters.get("limit"), DEFAULT_LIMIT, MAX_LIMIT));
    }

    private static Optional<String> given(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static OptionalLong bound(Map<String, String> parameters, String name) {
        Optional<String> value = given(parameters, name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        return Timestamps.parse(value.get())
                .map(instant -> OptionalLong.of(instant.toEpochMilli()))
                .orElseThrow(() -> LoomException.invalid(name + " must be an RFC 3339 timestamp",
                        LoomException.details("field", name)));
    }
}
