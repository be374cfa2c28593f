package io.sftap.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HalfwayClockTest {
    @Test
    void notesTheFirstTimeProgressReachesHalfOfAnOddTotal() throws Exception {
        AtomicLong progress = new AtomicLong();
        try (HalfwayClock clock = new HalfwayClock(progress::get, 11)) {
            progress.set(5);
            clock.poll();
            assertThat(clock.halfwayNanos()).isZero();

            long before = System.nanoTime();
            progress.set(6);
            clock.poll();
            long noted = clock.halfwayNanos();
            assertThat(noted).isBetween(before, System.nanoTime());

            progress.set(11);
            clock.poll();
            assertThat(clock.halfwayNanos()).isEqualTo(noted);
        }
    }

    @Test
    void theThreadNotesHalfwayWithoutBeingAsked() throws Exception {
        AtomicLong progress = new AtomicLong(10);
        try (HalfwayClock clock = new HalfwayClock(progress::get, 20)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (clock.halfwayNanos() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(clock.halfwayNanos()).isPositive();
        }
    }

    @Test
    void anEmptyRunHasNoHalfway() throws Exception {
        try (HalfwayClock clock = new HalfwayClock(() -> 0, 0)) {
            clock.poll();
            assertThat(clock.halfwayNanos()).isZero();
        }
    }
}
