package org.loom.service.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OutboxPolicyTest {

    private static final OutboxPolicy REFERENCE_WITHOUT_JITTER =
            new OutboxPolicy(5000, 20, 8, 30000, 3600000, 0, 8, 60000, 120000);

    @Test
    void withoutJitterThePausesAreTheReferenceNodesDoublingFromThirtySecondsUpToAnHour() {
        SplittableRandom random = new SplittableRandom(1);
        assertThat(java.util.stream.IntStream.rangeClosed(1, 9).mapToLong(n ->
                REFERENCE_WITHOUT_JITTER.backoffMs(n, random)).boxed().toList())
                .containsExactly(30000L, 60000L, 120000L, 240000L, 480000L, 960000L, 1920000L, 3600000L, 3600000L);
        assertThat(REFERENCE_WITHOUT_JITTER.backoffMs(1000, random)).isEqualTo(3600000L);
    }

    @Test
    void jitterSpreadsPausesWithinItsRatioAndNeverPastTheMaximum() {
        OutboxPolicy policy = OutboxPolicy.defaults();
        SplittableRandom random = new SplittableRandom(7);
        long smallest = Long.MAX_VALUE;
        long largest = 0;
        for (int i = 0; i < 2000; i++) {
            long pause = policy.backoffMs(2, random);
            smallest = Math.min(smallest, pause);
            largest = Math.max(largest, pause);
            assertThat(policy.backoffMs(30, random)).isBetween(2880000L, 3600000L);
        }
        assertThat(smallest).isBetween(48000L, 52000L);
        assertThat(largest).isBetween(68000L, 72000L);
    }

    @Test
    void refusesALeaseNoLongerThanTheAttemptTimeout() {
        assertThatThrownBy(() -> new OutboxPolicy(5000, 20, 8, 30000, 3600000, 0.2, 8, 60000, 60000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease-ms");
    }
}
