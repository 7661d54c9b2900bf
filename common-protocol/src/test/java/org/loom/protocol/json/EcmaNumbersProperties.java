package org.loom.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The defining properties of ECMAScript number text, checked with plain {@link BigDecimal} arithmetic that does not
 * share code with the formatter.
 */
class EcmaNumbersProperties {

    @Property(tries = 1500)
    void readsBackAsTheSameDouble(@ForAll("finiteDoubles") double value) {
        assertThat(Double.parseDouble(EcmaNumbers.format(value))).isEqualTo(value == 0 ? 0.0 : value);
    }

    @Property(tries = 1500)
    void noDecimalWithOneDigitLessReadsBack(@ForAll("finiteDoubles") double value) {
        BigDecimal written = new BigDecimal(EcmaNumbers.format(Math.abs(value)));
        int digits = significantDigits(written);
        if (digits == 1 || value == 0) {
            return;
        }
        // Any shorter decimal that read back would make the two bracketing ones read back too.
        BigDecimal exact = new BigDecimal(Math.abs(value));
        MathContext shorter = new MathContext(digits - 1, RoundingMode.FLOOR);
        BigDecimal below = exact.round(shorter);
        BigDecimal above = exact.round(new MathContext(digits - 1, RoundingMode.CEILING));
        assertThat(readsBack(below, Math.abs(value))).as("%s reads back", below).isFalse();
        assertThat(readsBack(above, Math.abs(value))).as("%s reads back", above).isFalse();
    }

    @Property(tries = 1500)
    void amongDecimalsOfTheSameLengthTheClosestIsWritten(@ForAll("finiteDoubles") double value) {
        double magnitude = Math.abs(value);
        if (magnitude == 0) {
            return;
        }
        BigDecimal written = new BigDecimal(EcmaNumbers.format(magnitude));
        int digits = significantDigits(written);
        BigDecimal exact = new BigDecimal(magnitude);
        BigDecimal below = exact.round(new MathContext(digits, RoundingMode.FLOOR));
        BigDecimal above = exact.round(new MathContext(digits, RoundingMode.CEILING));
        BigDecimal distance = written.subtract(exact).abs();
        for (BigDecimal other : new BigDecimal[] {below, above}) {
            if (readsBack(other, magnitude)) {
                assertThat(distance).isLessThanOrEqualTo(other.subtract(exact).abs());
            }
        }
    }

    @Property(tries = 500)
    void usesExponentFormExactlyOutsideTheDecimalRange(@ForAll("finiteDoubles") double value) {
        String text = EcmaNumbers.format(value);
        double magnitude = Math.abs(value);
        boolean exponentForm = text.contains("e");
        assertThat(exponentForm).isEqualTo(magnitude != 0 && (magnitude >= 1e21 || magnitude < 1e-6));
        assertThat(text).doesNotContain("E").doesNotStartWith("+").doesNotEndWith(".");
    }

    @Provide
    Arbitrary<Double> finiteDoubles() {
        Arbitrary<Double> boundaries = Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE, -Double.MAX_VALUE, 1e21, Math.nextDown(1e21), 1e-6,
                Math.nextDown(1e-6), 0x1p53, 0x1p53 + 2, 0.1, 1.0 / 3);
        return Arbitraries.frequencyOf(
                Tuple.of(1, boundaries),
                Tuple.of(20, Arbitraries.randomValue(EcmaNumbersProperties::randomDouble)));
    }

    /** Evenly: any bit pattern, a subnormal, a short decimal, a power of two. */
    private static double randomDouble(Random random) {
        switch (random.nextInt(4)) {
            case 0 -> {
                double value;
                do {
                    value = Double.longBitsToDouble(random.nextLong());
                } while (Double.isNaN(value) || Double.isInfinite(value));
                return value;
            }
            case 1 -> {
                return Double.longBitsToDouble((random.nextLong() >>> 12) | 1L);
            }
            case 2 -> {
                return Double.parseDouble((random.nextInt(19_999_999) - 9_999_999) + "e" + (random.nextInt(61) - 30));
            }
            default -> {
                return Math.scalb(1.0, random.nextInt(2098) - 1074);
            }
        }
    }

    private static boolean readsBack(BigDecimal candidate, double magnitude) {
        return candidate.signum() > 0 && Double.parseDouble(candidate.toString()) == magnitude;
    }

    private static int significantDigits(BigDecimal value) {
        return value.stripTrailingZeros().precision();
    }
}
