package io.sftap.bench.e2e;

import java.util.function.LongSupplier;

/**
 * Notes when a run's progress (DATA bytes the analyzers read) first reaches half of the expected total
 * and when it reaches all of it, so the second half's rate can be reported apart from the JIT's
 * warm-up in the first half and from the job's shutdown after the last event.
 */
final class ProgressClock implements AutoCloseable {
    private static final long POLL_MILLIS = 10;

    private final LongSupplier progress;
    private final long half;
    private final long total;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long halfwayNanos;
    private volatile long completeNanos;

    ProgressClock(LongSupplier progress, long total) {
        this.progress = progress;
        this.total = total;
        this.half = (total + 1) / 2;
        this.thread = new Thread(this::loop, "bench-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running && completeNanos == 0) {
            poll();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Records the times of the marks progress has reached; one poll (the thread calls it repeatedly). */
    void poll() {
        if (total <= 0) {
            return;
        }
        long now = progress.getAsLong();
        long t = System.nanoTime();
        if (halfwayNanos == 0 && now >= half) {
            halfwayNanos = t;
        }
        if (completeNanos == 0 && now >= total) {
            completeNanos = t;
        }
    }

    /** {@link System#nanoTime} when half was first seen, or 0 if never. */
    long halfwayNanos() {
        return halfwayNanos;
    }

    /** {@link System#nanoTime} when the whole total was first seen, or 0 if never. */
    long completeNanos() {
        return completeNanos;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
