package io.sftap.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress clock notes the first moments progress reaches half and all of the total. */
class ProgressClockTest {
    @Test
    void notesTheFirstTimesProgressReachesHalfAndAllOfAnOddTotal() throws Exception {
        AtomicLong progress = new AtomicLong();
        try (ProgressClock clock = new ProgressClock(progress::get, 11)) {
            clock.close(); // polled by hand from here
            progress.set(5);
            clock.poll();
            assertThat(clock.halfwayNanos()).isZero();

            long before = System.nanoTime();
            progress.set(6);
            clock.poll();
            long half = clock.halfwayNanos();
            assertThat(half).isBetween(before, System.nanoTime());
            assertThat(clock.completeNanos()).isZero();

            progress.set(11);
            clock.poll();
            assertThat(clock.halfwayNanos()).isEqualTo(half);
            assertThat(clock.completeNanos()).isGreaterThanOrEqualTo(half);
            long complete = clock.completeNanos();
            clock.poll();
            assertThat(clock.completeNanos()).isEqualTo(complete);
        }
    }

    @Test
    void theThreadNotesBothMarksWithoutBeingAsked() throws Exception {
        AtomicLong progress = new AtomicLong(10);
        try (ProgressClock clock = new ProgressClock(progress::get, 20)) {
            waitFor(() -> clock.halfwayNanos() != 0);
            progress.set(20);
            waitFor(() -> clock.completeNanos() != 0);
            assertThat(clock.completeNanos()).isGreaterThan(clock.halfwayNanos());
        }
    }

    @Test
    void anEmptyRunHasNoMarks() throws Exception {
        try (ProgressClock clock = new ProgressClock(() -> 0, 0)) {
            clock.poll();
            assertThat(clock.halfwayNanos()).isZero();
            assertThat(clock.completeNanos()).isZero();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
