package org.loom.protocol.time;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Timestamps on the wire. Node-made timestamps always have millisecond precision and a {@code Z}
 * ({@code 2026-02-16T20:00:00.000Z}); timestamps from clients are accepted only in strict RFC 3339 form
 * (date, {@code T}, time, optional fraction, and {@code Z} or a numeric offset), never the lenient forms a JavaScript
 * {@code Date.parse} would take.
 */
public final class Timestamps {

    private static final DateTimeFormatter NODE_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    // Shape check first: OffsetDateTime.parse alone accepts forms RFC 3339 does not (e.g. no seconds).
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private Timestamps() {
    }

    /** Formats an instant the way the node writes every timestamp it makes. */
    public static String format(Instant instant) {
        return NODE_FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The current time in node format. */
    public static String now(Clock clock) {
        return format(clock.instant());
    }

    /** Parses a strict RFC 3339 timestamp; empty when the text is not one (including impossible dates). */
    public static Optional<Instant> parse(String text) {
        if (text == null || !RFC3339.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.toUpperCase(java.util.Locale.ROOT)).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** True when the text is a strict RFC 3339 timestamp. */
    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }
}
