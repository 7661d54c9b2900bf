package org.loom.load;

import java.util.EnumMap;
import java.util.Map;

/**
 * The share of a run's envelopes that go into each thread shape, in percent, summing to 100.
 *
 * @param percent the share per shape; shapes not named get none
 */
public record ShapeMix(Map<ThreadShape, Integer> percent) {

    public ShapeMix {
        percent = Map.copyOf(percent);
        int sum = percent.values().stream().mapToInt(Integer::intValue).sum();
        if (sum != 100) {
            throw new IllegalArgumentException("--mix shares must add up to 100, got " + sum);
        }
        if (percent.containsKey(ThreadShape.LONG)) {
            throw new IllegalArgumentException("--mix takes new, deep and wide; use --scenario render-thread for long");
        }
    }

    /** Parses {@code new:40,deep:30,wide:30}. */
    public static ShapeMix parse(String text) {
        Map<ThreadShape, Integer> percent = new EnumMap<>(ThreadShape.class);
        for (String part : text.split(",")) {
            String[] pair = part.strip().split(":");
            if (pair.length != 2) {
                throw new IllegalArgumentException("--mix takes shape:percent pairs, got '" + part + "'");
            }
            ThreadShape shape;
            try {
                shape = ThreadShape.valueOf(pair[0].strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--mix: unknown shape '" + pair[0] + "' (new, deep, wide)", e);
            }
            int share;
            try {
                share = Integer.parseInt(pair[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix: '" + pair[1] + "' is not a whole number", e);
            }
            if (share < 0) {
                throw new IllegalArgumentException("--mix: a share cannot be negative");
            }
            percent.merge(shape, share, Integer::sum);
        }
        return new ShapeMix(percent);
    }

    /** The share of {@code shape}, 0 when not named. */
    public int of(ThreadShape shape) {
        return percent.getOrDefault(shape, 0);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (ThreadShape shape : ThreadShape.values()) {
            if (of(shape) > 0) {
                text.append(text.isEmpty() ? "" : ",").append(shape.label()).append(':').append(of(shape));
            }
        }
        return text.toString();
    }
}
