package org.loom.protocol.id;

import java.time.Instant;

/**
 * A ULID: a 48-bit millisecond timestamp followed by 80 random bits, written as 26 Crockford base32 characters.
 *
 * <p>The textual form sorts like the value itself (timestamp first, then the random part), which is why ids made by
 * one {@link UlidGenerator} sort in creation order. The random part is kept as a 16-bit high half and a 64-bit low
 * half so the whole value fits in primitives.
 *
 * @param timestampMillis milliseconds since the Unix epoch, in {@code [0, 2^48)}
 * @param randomHigh      the 16 most significant random bits, in {@code [0, 2^16)}
 * @param randomLow       the 64 least significant random bits (any {@code long}, read as unsigned)
 */
public record Ulid(long timestampMillis, int randomHigh, long randomLow) implements Comparable<Ulid> {

    /** Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U. */
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /** Length of the textual form. */
    public static final int LENGTH = 26;

    static final long MAX_TIMESTAMP = (1L << 48) - 1;
    static final int MAX_RANDOM_HIGH = (1 << 16) - 1;

    private static final int TIME_CHARS = 10;
    private static final int[] DECODE = decodeTable();

    public Ulid {
        if (timestampMillis < 0 || timestampMillis > MAX_TIMESTAMP) {
            throw new IllegalArgumentException("ULID timestamp out of 48-bit range: " + timestampMillis);
        }
        if (randomHigh < 0 || randomHigh > MAX_RANDOM_HIGH) {
            throw new IllegalArgumentException("ULID random high bits out of 16-bit range: " + randomHigh);
        }
    }

    /**
     * Reads the canonical textual form: exactly 26 upper-case Crockford characters whose first character is at most
     * {@code 7} (anything larger would not fit in 128 bits). Lower case and Crockford's lenient aliases are refused:
     * the protocol compares ids as exact strings, so only one spelling may exist.
     *
     * @throws IllegalArgumentException when the text is not a canonical ULID
     */
    public static Ulid parse(String text) {
        if (!isValid(text)) {
            throw new IllegalArgumentException("Not a canonical ULID: " + text);
        }
        long time = 0;
        for (int i = 0; i < TIME_CHARS; i++) {
            time = (time << 5) | DECODE[text.charAt(i)];
        }
        // 16 characters of 5 bits are exactly the 80 random bits: the first 64 go to the low half by shifting
        // through a 128-bit accumulator split over two longs.
        long high = 0;
        long low = 0;
        for (int i = TIME_CHARS; i < LENGTH; i++) {
            high = (high << 5) | (low >>> 59);
            low = (low << 5) | DECODE[text.charAt(i)];
        }
        return new Ulid(time, (int) high, low);
    }

    /** True for the canonical textual form accepted by {@link #parse(String)}. */
    public static boolean isValid(String text) {
        if (text == null || text.length() != LENGTH || text.charAt(0) > '7') {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            if (c >= DECODE.length || DECODE[c] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The creation time this ULID carries. */
    public Instant timestamp() {
        return Instant.ofEpochMilli(timestampMillis);
    }

    /**
     * The ULID of the same millisecond whose random part is one larger.
     *
     * @throws IllegalStateException when the random part is already all ones
     */
    Ulid successorInSameMillisecond() {
        if (randomHigh == MAX_RANDOM_HIGH && randomLow == -1L) {
            throw new IllegalStateException("ULID random part exhausted for millisecond " + timestampMillis);
        }
        long low = randomLow + 1;
        int high = low == 0 ? randomHigh + 1 : randomHigh;
        return new Ulid(timestampMillis, high, low);
    }

    @Override
    public int compareTo(Ulid other) {
        int byTime = Long.compare(timestampMillis, other.timestampMillis);
        if (byTime != 0) {
            return byTime;
        }
        int byHigh = Integer.compare(randomHigh, other.randomHigh);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(randomLow, other.randomLow);
    }

    /** The 26-character canonical form. */
    @Override
    public String toString() {
        char[] out = new char[LENGTH];
        long time = timestampMillis;
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (time & 31));
            time >>>= 5;
        }
        long high = randomHigh;
        long low = randomLow;
        for (int i = LENGTH - 1; i >= TIME_CHARS; i--) {
            out[i] = ALPHABET.charAt((int) (low & 31));
            low = (low >>> 5) | (high << 59);
            high >>>= 5;
        }
        return new String(out);
    }

    private static int[] decodeTable() {
        int[] table = new int['z' + 1];
        java.util.Arrays.fill(table, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            table[ALPHABET.charAt(i)] = i;
        }
        return table;
    }
}
