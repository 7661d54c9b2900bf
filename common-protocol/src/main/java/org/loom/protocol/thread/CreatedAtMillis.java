package org.loom.protocol.thread;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.OptionalLong;
import org.loom.protocol.time.Timestamps;

/**
 * Reads {@code created_at} as epoch milliseconds for ordering, accepting exactly what {@link Timestamps#parse}
 * accepts.
 *
 * <p>Ordering a large thread reads one timestamp per envelope, and the general parser costs microseconds each. The
 * form nearly every envelope uses, UTC with a {@code T} and a {@code Z} ({@code 2026-02-16T20:00:00.000Z}), is read
 * here directly; everything else goes to the general parser.
 */
final class CreatedAtMillis {

    private static final int SHORTEST = "0000-00-00T00:00:00Z".length();
    private static final int LONGEST = "0000-00-00T00:00:00.000000000Z".length();
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private CreatedAtMillis() {
    }

    /** Epoch milliseconds (sub-millisecond digits dropped), or empty when the text is not a strict timestamp. */
    static OptionalLong read(String text) {
        if (isPlainUtc(text)) {
            int month = number(text, 5, 2);
            int day = number(text, 8, 2);
            int hour = number(text, 11, 2);
            int minute = number(text, 14, 2);
            int second = number(text, 17, 2);
            if (hour > 23 || minute > 59 || second > 59) {
                return OptionalLong.empty();
            }
            long epochDay;
            try {
                epochDay = LocalDate.of(number(text, 0, 4), month, day).toEpochDay();
            } catch (DateTimeException impossibleDate) {
                return OptionalLong.empty();
            }
            int millis = text.length() > SHORTEST ? fractionMillis(text) : 0;
            return OptionalLong.of(epochDay * MILLIS_PER_DAY + (hour * 3600L + minute * 60L + second) * 1000L + millis);
        }
        return Timestamps.parse(text).map(Instant::toEpochMilli).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** {@code dddd-dd-ddTdd:dd:dd}, an optional fraction of 1 to 9 digits, and {@code Z}. */
    private static boolean isPlainUtc(String text) {
        if (text == null || text.length() < SHORTEST || text.length() > LONGEST
                || text.length() == SHORTEST + 1 || text.charAt(text.length() - 1) != 'Z') {
            return false;
        }
        for (int i = 0; i < SHORTEST - 1; i++) {
            char c = text.charAt(i);
            boolean ok = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == 'T';
                case 13, 16 -> c == ':';
                default -> isDigit(c);
            };
            if (!ok) {
                return false;
            }
        }
        if (text.length() == SHORTEST) {
            return true;
        }
        if (text.charAt(SHORTEST - 1) != '.') {
            return false;
        }
        for (int i = SHORTEST; i < text.length() - 1; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int fractionMillis(String text) {
        int millis = 0;
        int start = SHORTEST;
        int end = text.length() - 1;
        for (int i = start; i < start + 3; i++) {
            millis = millis * 10 + (i < end ? text.charAt(i) - '0' : 0);
        }
        return millis;
    }

    private static int number(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
