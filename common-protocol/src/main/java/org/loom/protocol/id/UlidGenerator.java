package org.loom.protocol.id;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes ULIDs that strictly increase for the life of the generator, so ids made by one process sort in the order
 * they were made.
 *
 * <p>A new millisecond gets a fresh random part. Within the same millisecond, and whenever the clock reads earlier
 * than the last id made (a clock stepped back by NTP), the generator keeps the last timestamp and adds one to the
 * last random part instead. Starting from 80 random bits, running out of increments within one millisecond would
 * need on the order of 2^79 ids; should it happen, {@link #next()} throws {@link IllegalStateException} rather than
 * block or hand out an id out of order.
 *
 * <p>Thread-safe: {@link #next()} is serialized on the generator.
 */
public final class UlidGenerator {

    private final Clock clock;
    private final RandomGenerator random;
    private Ulid last;

    /**
     * @param clock  source of the timestamp part
     * @param random source of the random part; give a {@link SecureRandom} wherever ids must be unguessable
     */
    public UlidGenerator(Clock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The process-wide generator: system UTC clock and a {@link SecureRandom}. */
    public static UlidGenerator systemDefault() {
        return SystemDefault.INSTANCE;
    }

    /**
     * The next ULID, strictly greater than every ULID this generator made before.
     *
     * @throws IllegalStateException when the clock is outside the 48-bit ULID range, or the random part of the
     *                               current millisecond is exhausted
     */
    public synchronized Ulid next() {
        long now = clock.millis();
        if (now < 0 || now > Ulid.MAX_TIMESTAMP) {
            throw new IllegalStateException("Clock outside the ULID timestamp range: " + now);
        }
        Ulid next;
        if (last == null || now > last.timestampMillis()) {
            next = new Ulid(now, random.nextInt(Ulid.MAX_RANDOM_HIGH + 1), random.nextLong());
        } else {
            next = last.successorInSameMillisecond();
        }
        last = next;
        return next;
    }

    private static final class SystemDefault {
        static final UlidGenerator INSTANCE = new UlidGenerator(Clock.systemUTC(), new SecureRandom());
    }
}
