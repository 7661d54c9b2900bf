package org.loom.service.web;

import tools.jackson.databind.JsonNode;

/**
 * Numbers from request bodies, read so that no value a client can write fails the request: JSON allows integers
 * beyond {@code long} and exponents beyond {@code double} (parsed as infinity), and Jackson refuses to convert
 * either to a Java integer.
 */
public final class JsonNumbers {

    private JsonNumbers() {
    }

    /**
     * The number clamped to {@code [min, max]}; fractions are cut toward zero, values past either end (infinities
     * included) become that end, and NaN becomes {@code min}.
     *
     * @throws IllegalArgumentException when {@code number} is not a JSON number: callers check the type first, to
     *                                  answer it with their own field error
     */
    public static long clamp(JsonNode number, long min, long max) {
        if (number == null || !number.isNumber()) {
            throw new IllegalArgumentException("not a JSON number: " + number);
        }
        if (number.isIntegralNumber()) {
            if (number.canConvertToLong()) {
                return Math.max(min, Math.min(max, number.longValue()));
            }
            return number.bigIntegerValue().signum() < 0 ? min : max;
        }
        double value;
        try {
            value = number.doubleValue();
        } catch (RuntimeException e) {
            value = number.decimalValue().signum() < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (Double.isNaN(value)) {
            return min;
        }
        if (value <= min) {
            return min;
        }
        if (value >= max) {
            return max;
        }
        return (long) value;
    }
}
