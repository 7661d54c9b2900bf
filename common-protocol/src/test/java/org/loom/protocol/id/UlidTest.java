package org.loom.protocol.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UlidTest {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    @Test
    void encodesTheTimestampOfTheUlidSpecificationExample() {
        // The ULID specification's example: time 1469918176385 gives the prefix 01ARYZ6S41.
        Ulid ulid = Ulid.parse("01ARYZ6S41TSV4RRFFQ69G5FAV");

        assertThat(ulid.timestampMillis()).isEqualTo(1469918176385L);
        assertThat(ulid.timestamp()).isEqualTo(Instant.ofEpochMilli(1469918176385L));
        assertThat(ulid).hasToString("01ARYZ6S41TSV4RRFFQ69G5FAV");
    }

    @Test
    void writesTheSmallestAndLargestValues() {
        assertThat(new Ulid(0, 0, 0)).hasToString("00000000000000000000000000");
        assertThat(new Ulid((1L << 48) - 1, 0xFFFF, -1L)).hasToString("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        assertThat(Ulid.parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ")).isEqualTo(new Ulid((1L << 48) - 1, 0xFFFF, -1L));
    }

    @Property
    void textMatchesTheBase32FormOfThe128BitValue(@ForAll @LongRange(min = 0, max = (1L << 48) - 1) long time,
            @ForAll @IntRange(min = 0, max = 0xFFFF) int high, @ForAll long low) {
        Ulid ulid = new Ulid(time, high, low);

        assertThat(ulid.toString()).isEqualTo(crockfordOf(value(ulid)));
        assertThat(Ulid.parse(ulid.toString())).isEqualTo(ulid);
    }

    @Property
    void ordersLikeItsText(@ForAll @LongRange(min = 0, max = 1000) long timeA, @ForAll int highA, @ForAll long lowA,
            @ForAll @LongRange(min = 0, max = 1000) long timeB, @ForAll int highB, @ForAll long lowB) {
        Ulid a = new Ulid(timeA, highA & 0xFFFF, lowA);
        Ulid b = new Ulid(timeB, highB & 0xFFFF, lowB);

        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(value(a).compareTo(value(b))));
    }

    @Test
    void successorAddsOneToTheRandomPartAcrossTheHalves() {
        Ulid ulid = new Ulid(5, 0x0001, -1L);

        Ulid next = ulid.successorInSameMillisecond();

        assertThat(next).isEqualTo(new Ulid(5, 0x0002, 0L));
        assertThat(value(next)).isEqualTo(value(ulid).add(BigInteger.ONE));
    }

    @Test
    void successorOfAnExhaustedRandomPartIsRefused() {
        assertThatThrownBy(() -> new Ulid(5, 0xFFFF, -1L).successorInSameMillisecond())
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "01ARYZ6S41TSV4RRFFQ69G5FA",   // 25 characters
            "01ARYZ6S41TSV4RRFFQ69G5FAVX", // 27 characters
            "01aryz6s41tsv4rrffq69g5fav",  // lower case
            "01ARYZ6S41TSV4RRFFQ69G5FAI",  // I is not in the alphabet
            "01ARYZ6S41TSV4RRFFQ69G5FAL",
            "01ARYZ6S41TSV4RRFFQ69G5FAO",
            "01ARYZ6S41TSV4RRFFQ69G5FAU",
            "81ARYZ6S41TSV4RRFFQ69G5FAV",  // beyond 128 bits
            "01ARYZ6S41TSV4RRFFQ69G5FA-"})
    void refusesNonCanonicalText(String text) {
        assertThat(Ulid.isValid(text)).isFalse();
        assertThatThrownBy(() -> Ulid.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesComponentsOutsideTheirBitWidths() {
        assertThatThrownBy(() -> new Ulid(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ulid(1L << 48, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ulid(0, 0x10000, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ulid(0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BigInteger value(Ulid ulid) {
        return BigInteger.valueOf(ulid.timestampMillis()).shiftLeft(80)
                .or(BigInteger.valueOf(ulid.randomHigh()).shiftLeft(64))
                .or(new BigInteger(Long.toUnsignedString(ulid.randomLow())));
    }

    private static String crockfordOf(BigInteger value) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            text.insert(0, CROCKFORD.charAt(value.and(BigInteger.valueOf(31)).intValue()));
            value = value.shiftRight(5);
        }
        return text.toString();
    }
}
