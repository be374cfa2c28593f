package io.sftap.bench.e2e;

import java.util.function.LongSupplier;

/**
 * Notes when a run's progress (events the analyzers read) first reaches half of the expected
 * total, so the second half's rate can be reported apart from the JIT's warm-up in the first.
 */
final class HalfwayClock implements AutoCloseable {
    private static final long POLL_MILLIS = 20;

    private final LongSupplier progress;
    private final long half;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long halfwayNanos;

    HalfwayClock(LongSupplier progress, long total) {
        this.progress = progress;
        this.half = (total + 1) / 2;
        this.thread = new Thread(this::loop, "bench-halfway");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running && halfwayNanos == 0) {
            poll();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Records the time if progress has reached half; one poll (the thread calls it repeatedly). */
    void poll() {
        if (halfwayNanos == 0 && half > 0 && progress.getAsLong() >= half) {
            halfwayNanos = System.nanoTime();
        }
    }

    /** {@link System#nanoTime} when half was first seen, or 0 if never. */
    long halfwayNanos() {
        return halfwayNanos;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
