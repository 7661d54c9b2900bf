package org.loom.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FixedWindowRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000L);

    private FixedWindowRateLimiter limiter(int defaultMax, int sensitiveMax, int capacity) {
        return new FixedWindowRateLimiter(60_000, defaultMax, sensitiveMax, capacity, now::get);
    }

    @Test
    void allowsUpToTheLimitWithinOneWindow() {
        FixedWindowRateLimiter limiter = limiter(2, 1, 100);

        RateLimitDecision first = limiter.acquire(RateLimitBucket.DEFAULT, "a");
        now.addAndGet(10_000);
        RateLimitDecision second = limiter.acquire(RateLimitBucket.DEFAULT, "a");
        RateLimitDecision third = limiter.acquire(RateLimitBucket.DEFAULT, "a");

        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).isEqualTo(1);
        assertThat(second.allowed()).isTrue();
        assertThat(second.remaining()).isZero();
        assertThat(third.allowed()).isFalse();
        assertThat(third.resetAtMillis()).isEqualTo(1_060_000L);
        assertThat(third.retryAfterMs()).isEqualTo(50_000L);
    }

    @Test
    void startsAFreshWindowWhenTheOldOneEnds() {
        FixedWindowRateLimiter limiter = limiter(1, 1, 100);
        limiter.acquire(RateLimitBucket.DEFAULT, "a");
        assertThat(limiter.acquire(RateLimitBucket.DEFAULT, "a").allowed()).isFalse();

        now.addAndGet(60_000);

        RateLimitDecision decision = limiter.acquire(RateLimitBucket.DEFAULT, "a");
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.resetAtMillis()).isEqualTo(1_120_000L);
    }

    @Test
    void countsClientsAndBucketsApart() {
        FixedWindowRateLimiter limiter = limiter(1, 1, 100);
        limiter.acquire(RateLimitBucket.DEFAULT, "a");

        assertThat(limiter.acquire(RateLimitBucket.DEFAULT, "b").allowed()).isTrue();
        assertThat(limiter.acquire(RateLimitBucket.SENSITIVE, "a").allowed()).isTrue();
        assertThat(limiter.acquire(RateLimitBucket.DEFAULT, "a").allowed()).isFalse();
    }

    @Test
    void reportsZeroLimitAsUnlimitedBucket() {
        FixedWindowRateLimiter limiter = limiter(0, 5, 100);

        assertThat(limiter.limitOf(RateLimitBucket.DEFAULT)).isZero();
        assertThatThrownBy(() -> limiter.acquire(RateLimitBucket.DEFAULT, "a"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dropsEndedWindowsOnceAWindowHasPassed() {
        FixedWindowRateLimiter limiter = limiter(5, 5, 1_000);
        for (int i = 0; i < 50; i++) {
            limiter.acquire(RateLimitBucket.DEFAULT, "client-" + i);
        }
        now.addAndGet(60_000);

        limiter.acquire(RateLimitBucket.DEFAULT, "late");

        assertThat(limiter.trackedWindows()).isEqualTo(1);
    }

    @Test
    void staysWithinItsCapacityUnderManyClients() {
        FixedWindowRateLimiter limiter = limiter(5, 5, 100);

        for (int i = 0; i < 10_000; i++) {
            limiter.acquire(RateLimitBucket.DEFAULT, "client-" + i);
        }

        assertThat(limiter.trackedWindows()).isLessThanOrEqualTo(100);
    }
}
