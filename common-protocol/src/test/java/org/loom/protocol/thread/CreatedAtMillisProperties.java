package org.loom.protocol.thread;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.loom.protocol.time.Timestamps;

/** The fast reading of {@code created_at} must agree with the general strict parser on every input. */
class CreatedAtMillisProperties {

    @Property(tries = 3000)
    void agreesWithTheStrictParserOnNearTimestamps(@ForAll("nearTimestamps") String text) {
        assertThat(CreatedAtMillis.read(text)).isEqualTo(expected(text));
    }

    @Property
    void agreesWithTheStrictParserOnArbitraryText(@ForAll String text) {
        assertThat(CreatedAtMillis.read(text)).isEqualTo(expected(text));
    }

    @Example
    void readsTheNodeFormatAndDropsSubMillisecondDigits() {
        assertThat(CreatedAtMillis.read("2026-02-16T20:00:00.123Z"))
                .hasValue(Instant.parse("2026-02-16T20:00:00.123Z").toEpochMilli());
        assertThat(CreatedAtMillis.read("2026-02-16T20:00:00.123999Z"))
                .hasValue(Instant.parse("2026-02-16T20:00:00.123Z").toEpochMilli());
        assertThat(CreatedAtMillis.read("1969-12-31T23:59:59.999Z")).hasValue(-1L);
        assertThat(CreatedAtMillis.read("2024-02-29T00:00:00Z")).isPresent();
        assertThat(CreatedAtMillis.read("2026-02-29T00:00:00Z")).isEmpty();
        assertThat(CreatedAtMillis.read(null)).isEmpty();
    }

    /**
     * Strings shaped like timestamps with every part drawn from around its valid range: impossible dates and times,
     * fractions of 0 to 10 digits, stray separators and all the suffixes the strict grammar knows.
     */
    @Provide
    Arbitrary<String> nearTimestamps() {
        Arbitrary<String> date = Combinators.combine(
                Arbitraries.of("0000", "0001", "1969", "1970", "2024", "2026", "9999", "20x6"),
                Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 32),
                Arbitraries.of("-", "/"))
                .as((year, month, day, sep) -> year + sep + pad(month) + "-" + pad(day));
        Arbitrary<String> time = Combinators.combine(
                Arbitraries.integers().between(0, 25),
                Arbitraries.integers().between(0, 61),
                Arbitraries.integers().between(0, 61))
                .as((hour, minute, second) -> pad(hour) + ":" + pad(minute) + ":" + pad(second));
        Arbitrary<String> fraction = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(10)
                .flatMap(digits -> Arbitraries.of("", ".", ",").map(dot -> digits.isEmpty() ? dot : "." + digits));
        Arbitrary<String> suffix = Arbitraries.of("Z", "z", "", "+00:00", "-00:00", "+01:30", "+18:00", "+19:00",
                "-05:00", "+0100", "ZZ", " Z");
        return Combinators.combine(date, Arbitraries.of("T", "t", " "), time, fraction, suffix)
                .as((d, t, tm, f, s) -> d + t + tm + f + s);
    }

    private static OptionalLong expected(String text) {
        return Timestamps.parse(text).map(i -> OptionalLong.of(i.toEpochMilli())).orElse(OptionalLong.empty());
    }

    private static String pad(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
