package org.loom.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatePacerTest {

    @Test
    void slotsAreSpacedByOneOverTheRate() {
        RatePacer pacer = new RatePacer(1_000);

        assertThat(pacer.offsetNanos(0)).isZero();
        assertThat(pacer.offsetNanos(1)).isEqualTo(1_000_000);
        assertThat(pacer.offsetNanos(5_000)).isEqualTo(5_000_000_000L);
        assertThat(new RatePacer(3_000).offsetNanos(3_000)).isEqualTo(1_000_000_000L);
        assertThat(new RatePacer(0.5).offsetNanos(1)).isEqualTo(2_000_000_000L);
    }

    @Test
    void withoutARateNothingWaits() {
        RatePacer pacer = new RatePacer(0);
        long start = System.nanoTime() + 60_000_000_000L;

        assertThat(pacer.paced()).isFalse();
        assertThat(pacer.offsetNanos(1_000_000)).isZero();
        // A start a minute ahead would block for a minute if the pacer waited; it answers "now" instead.
        assertThat(pacer.awaitSlot(start, 7)).isLessThan(start);
    }

    @Test
    void aSlotInThePastIsDueAtOnceAndKeepsItsDueTime() {
        RatePacer pacer = new RatePacer(10);
        long start = System.nanoTime() - 10_000_000_000L;

        assertThat(pacer.awaitSlot(start, 3)).isEqualTo(start + 300_000_000L);
    }
}
