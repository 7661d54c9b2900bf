package org.loom.protocol.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class UlidGeneratorTest {

    private static final Instant T0 = Instant.parse("2026-02-16T20:00:00.123Z");

    @Test
    void makesStrictlyIncreasingIdsWithinOneMillisecond() {
        UlidGenerator generator = new UlidGenerator(Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(7));

        List<Ulid> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(generator.next());
        }

        assertThat(ids).allSatisfy(id -> assertThat(id.timestamp()).isEqualTo(T0));
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).isEqualTo(ids.get(i - 1).successorInSameMillisecond());
            assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
        }
    }

    @Test
    void drawsFreshRandomnessOnlyForANewMillisecond() {
        SettableClock clock = new SettableClock(T0);
        SplittableRandom source = new SplittableRandom(7);
        AtomicInteger draws = new AtomicInteger();
        RandomGenerator counting = () -> {
            draws.incrementAndGet();
            return source.nextLong();
        };
        UlidGenerator generator = new UlidGenerator(clock, counting);

        generator.next();
        int afterFirst = draws.get();
        generator.next();
        int afterSameMillisecond = draws.get();
        clock.set(T0.plusMillis(1));
        Ulid inNextMillisecond = generator.next();

        assertThat(afterFirst).isPositive();
        assertThat(afterSameMillisecond).isEqualTo(afterFirst);
        assertThat(draws.get()).isGreaterThan(afterSameMillisecond);
        assertThat(inNextMillisecond.timestamp()).isEqualTo(T0.plusMillis(1));
    }

    @Test
    void keepsIncreasingWhenTheClockStepsBack() {
        SettableClock clock = new SettableClock(T0);
        UlidGenerator generator = new UlidGenerator(clock, new SplittableRandom(7));

        Ulid beforeStep = generator.next();
        clock.set(T0.minusSeconds(30));
        Ulid afterStep = generator.next();

        assertThat(afterStep.timestamp()).isEqualTo(T0);
        assertThat(afterStep).isEqualTo(beforeStep.successorInSameMillisecond());
    }

    @Test
    void idsSortInTheOrderOfTheirCreationTimes() {
        SettableClock clock = new SettableClock(T0);
        UlidGenerator generator = new UlidGenerator(clock, new SplittableRandom(11));

        List<String> made = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            clock.set(T0.plusMillis(i / 3));
            made.add(generator.next().toString());
        }

        assertThat(made).isSorted().doesNotHaveDuplicates();
        assertThat(Ulid.parse(made.get(199)).timestamp()).isEqualTo(T0.plusMillis(66));
    }

    @Test
    void refusesToContinueWhenTheRandomPartOfAMillisecondIsExhausted() {
        RandomGenerator allOnes = () -> -1L;
        UlidGenerator generator = new UlidGenerator(Clock.fixed(T0, ZoneOffset.UTC), allOnes);

        Ulid first = generator.next();

        assertThat(first.toString()).endsWith("ZZZZZZZZZZZZZZZZ");
        assertThatThrownBy(generator::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesAClockOutsideTheUlidRange() {
        UlidGenerator generator = new UlidGenerator(Clock.fixed(Instant.ofEpochMilli(-1), ZoneOffset.UTC),
                new SplittableRandom(1));

        assertThatThrownBy(generator::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void staysUniqueAndOrderedUnderConcurrentUse() throws Exception {
        UlidGenerator generator = new UlidGenerator(Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(3));
        int threads = 4;
        int perThread = 5000;
        Set<Ulid> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Ulid>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    List<Ulid> mine = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        Ulid id = generator.next();
                        mine.add(id);
                        seen.add(id);
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<List<Ulid>> result : results) {
                // Each thread sees its own ids increase, whatever the interleaving.
                assertThat(result.get(30, TimeUnit.SECONDS)).isSorted();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(seen).hasSize(threads * perThread);
    }

    @Test
    void systemDefaultIsOneSharedGenerator() {
        assertThat(UlidGenerator.systemDefault()).isSameAs(UlidGenerator.systemDefault());
        Ulid a = UlidGenerator.systemDefault().next();
        Ulid b = UlidGenerator.systemDefault().next();
        assertThat(b).isGreaterThan(a);
    }

    /** A clock the test moves by hand. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
