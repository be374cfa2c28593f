package io.sftap.job.loopback;

import io.sftap.source.wire.Packet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Serves the loopback socket while it holds the split: a {@link LoopbackServer} puts events into a
 * bounded queue (a full queue pushes back on the writing analyzers), {@code pollNext} emits them.
 *
 * <p>Unbounded (live) it runs until cancelled. In a replay ({@code endAfterCapture}) it ends once
 * the capture ended ({@link CaptureEndSignal}) and the socket has been quiet for the linger: then
 * the server closes, which ends the flows still open on its connections, and the reader emits
 * those DESTROYED events and finishes.
 */
final class LoopbackSourceReader implements SourceReader<Packet, LoopbackSplit> {
    static final int QUEUE_CAPACITY = 4096;

    private final String captureEndToken; // null: live, never ends by itself
    private final Duration linger;
    private final String group;
    private final BlockingQueue<Packet> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Counter received;
    private volatile CompletableFuture<Void> available = new CompletableFuture<>();
    private volatile boolean drained;
    private LoopbackSplit split;
    private LoopbackServer server;
    private ScheduledExecutorService ticker;
    private boolean noMoreSplits;

    LoopbackSourceReader(String captureEndToken, Duration linger, String group, MetricGroup metrics) {
        this.captureEndToken = captureEndToken;
        this.linger = linger;
        this.group = group;
        this.received = metrics.addGroup("sftap").counter("loopback_events");
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<Packet> output) {
        Packet p = queue.poll();
        if (p != null) {
            output.collect(p);
            return InputStatus.MORE_AVAILABLE;
        }
        if (finished()) {
            return InputStatus.END_OF_INPUT;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        available = f;
        if (!queue.isEmpty() || finished()) {
            f.complete(null); // raced with a producer or the end
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    /**
     * Never before the enumerator's "no more splits" arrived: a reader that finished first would
     * make that event's send fail the job (TaskNotRunningException).
     */
    private boolean finished() {
        return noMoreSplits && (split == null || (drained && queue.isEmpty()));
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<LoopbackSplit> splits) {
        if (splits.isEmpty() || split != null) {
            return;
        }
        split = splits.get(0);
        try {
            server = LoopbackServer.start(Path.of(split.socketPath), split.binary, group, this::enqueue,
                    () -> System.currentTimeMillis() * 1_000_000L);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot serve the L7 loopback socket " + split.socketPath
                    + ": " + e.getMessage(), e);
        }
        if (captureEndToken != null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sftap-loopback-end");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::checkEnd, 100, 100, TimeUnit.MILLISECONDS);
        }
    }

    private void enqueue(Packet p) throws InterruptedException {
        queue.put(p);
        received.inc();
        available.complete(null);
    }

    /** Ticker thread: ends a replay's loopback once the capture ended and the socket is quiet. */
    private void checkEnd() {
        if (drained || !CaptureEndSignal.ended(captureEndToken)) {
            return;
        }
        if (System.nanoTime() - server.lastActivityNanos() < linger.toNanos() || !queue.isEmpty()) {
            return;
        }
        server.close(); // connection threads enqueue DESTROYED for their open flows, then end
        drained = true;
        available.complete(null);
        ticker.shutdown();
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public List<LoopbackSplit> snapshotState(long checkpointId) {
        return split == null ? List.of() : List.of(split);
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (server != null) {
            queue.clear();
            // Threads blocked on a full queue would wait forever: keep draining while closing.
            Thread drain = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        queue.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "sftap-loopback-close");
            drain.setDaemon(true);
            drain.start();
            server.close();
            drain.interrupt();
        }
        if (captureEndToken != null) {
            CaptureEndSignal.forget(captureEndToken);
        }
    }
}
