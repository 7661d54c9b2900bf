package org.loom.protocol.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes a double exactly as ECMAScript's {@code Number::toString} does (ES2023 §6.1.6.1.20), which is also the
 * number form of RFC 8785 and of every JSON text a JavaScript client produces.
 *
 * <p>The digits are the shortest that read back to the same double; when several digit strings of that length read
 * back, the one closest to the exact binary value wins. The layout is plain decimal for decimal exponents from -6 to
 * 20 and {@code d.ddde±x} outside that range. {@code Double.toString} of JDK 17 is not a substitute: it sometimes
 * emits more digits than needed and always uses its own layout ({@code 1.0E21}).
 */
public final class EcmaNumbers {

    // Integral doubles below 2^53 are exact longs, and all of them print in plain form (they stay under 10^21).
    private static final double EXACT_INTEGER_LIMIT = 0x1p53;

    // Decimal digits that every normal double keeps through a round trip (DBL_DIG in C).
    private static final int UNIQUE_DIGITS = 15;

    private EcmaNumbers() {
    }

    /**
     * The ECMAScript string of {@code value}; {@code -0} gives {@code "0"}.
     *
     * @throws IllegalArgumentException for NaN and the infinities, which JSON cannot carry
     */
    public static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no representation for " + value);
        }
        if (value == 0) {
            return "0";
        }
        if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGER_LIMIT) {
            return Long.toString((long) value);
        }
        Decimal shortest = shortestDecimal(value);
        return layout(value < 0, shortest.digits(), shortest.pointPosition());
    }

    /**
     * Shortest round-trip digits of a finite, non-zero double, as a digit string without leading or trailing zeros
     * and the position of the decimal point relative to its first digit (ECMAScript's {@code n}).
     */
    static Decimal shortestDecimal(double value) {
        double magnitude = Math.abs(value);
        String javaText = Double.toString(magnitude);
        int precision = significantDigits(javaText);
        // Two different decimals of at most 15 significant digits are always further apart than the rounding interval
        // of a normal double is wide, so when Java's text reads back with that few digits it is the only candidate:
        // the shortest and the closest. Subnormals have wider intervals and take the general path.
        if (precision <= UNIQUE_DIGITS && magnitude >= Double.MIN_NORMAL && Double.parseDouble(javaText) == magnitude) {
            return Decimal.of(new BigDecimal(javaText));
        }
        BigDecimal exact = new BigDecimal(magnitude);
        // Java's own text always reads back, so its digit count is an upper bound; it is seldom more than one too
        // long, which keeps the search below to two or three steps.
        BigDecimal best = closestRoundTrip(exact, magnitude, precision);
        while (best == null) {
            best = closestRoundTrip(exact, magnitude, ++precision);
        }
        // If some decimal of p digits reads back, one of p + 1 digits does too, so the first length that fails
        // ends the search.
        while (precision > 1) {
            BigDecimal shorter = closestRoundTrip(exact, magnitude, precision - 1);
            if (shorter == null) {
                break;
            }
            best = shorter;
            precision--;
        }
        return Decimal.of(best);
    }

    /** Significant digits in a {@code Double.toString} result such as {@code 1.25E-7} or {@code 0.001}. */
    private static int significantDigits(String javaText) {
        int exponentAt = javaText.indexOf('E');
        String mantissa = (exponentAt < 0 ? javaText : javaText.substring(0, exponentAt)).replace(".", "");
        int first = 0;
        while (first < mantissa.length() - 1 && mantissa.charAt(first) == '0') {
            first++;
        }
        int last = mantissa.length();
        while (last > first + 1 && mantissa.charAt(last - 1) == '0') {
            last--;
        }
        return last - first;
    }

    /**
     * Among the decimals of {@code precision} significant digits that can lie in the rounding interval of the double
     * (the correctly rounded one and its two neighbours at that precision), the one closest to the exact value that
     * reads back as the same double; null when none does.
     *
     * <p>The neighbours matter at powers of two, where the interval below the double is half as wide as the one
     * above, so the nearest decimal may fall outside while the next one up falls inside.
     */
    private static BigDecimal closestRoundTrip(BigDecimal exact, double magnitude, int precision) {
        BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
        if (readsBackAs(nearest, magnitude)) {
            return nearest;
        }
        BigDecimal step = BigDecimal.ONE.scaleByPowerOfTen(-nearest.scale());
        BigDecimal best = null;
        BigDecimal bestDistance = null;
        for (BigDecimal candidate : new BigDecimal[] {nearest.subtract(step), nearest.add(step)}) {
            if (candidate.signum() <= 0 || !readsBackAs(candidate, magnitude)) {
                continue;
            }
            BigDecimal distance = candidate.subtract(exact).abs();
            if (best == null || distance.compareTo(bestDistance) < 0) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static boolean readsBackAs(BigDecimal candidate, double magnitude) {
        // Double.parseDouble rounds correctly (round half to even), which is what a JSON reader does with the text.
        return Double.parseDouble(candidate.toString()) == magnitude;
    }

    /** ES2023 §6.1.6.1.20 steps 6 to 10: where the point goes and when the exponent form is used. */
    private static String layout(boolean negative, String digits, int n) {
        int k = digits.length();
        StringBuilder out = new StringBuilder(k + 8);
        if (negative) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits);
            out.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }

    /**
     * A positive decimal as significant digits (no leading or trailing zeros) and the decimal exponent {@code n}
     * such that the value is {@code 0.digits × 10^n}.
     */
    record Decimal(String digits, int pointPosition) {

        static Decimal of(BigDecimal value) {
            BigDecimal trimmed = value.stripTrailingZeros();
            String digits = trimmed.unscaledValue().toString();
            return new Decimal(digits, digits.length() - trimmed.scale());
        }
    }
}
