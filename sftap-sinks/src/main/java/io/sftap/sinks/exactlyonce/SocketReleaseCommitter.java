package io.sftap.sinks.exactlyonce;

import io.sftap.sinks.SocketPartitioner;
import io.sftap.sinks.socket.InterfaceSocketServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committer of the {@link ExactlyOnceInterfaceSink}: serves the interface sockets of its subtask
 * and, when a checkpoint completes, releases the batches it covers to the analyzers, in sequence
 * order, skipping batches the {@link ReleaseMarker} says were released before a restore.
 *
 * <p>Order of calls: the constructor opens the owned start sockets; the first {@link #commit}
 * waits for analyzers if configured; {@link #close} drains queued bytes for a bounded time and
 * closes the sockets. Large batches are released at the pace analyzers read (bounded by the drain
 * timeout per commit), so a batch does not overflow the per-connection buffers.
 */
@Internal
final class SocketReleaseCommitter implements Committer<EventBatch> {
    private static final Logger LOG = LoggerFactory.getLogger(SocketReleaseCommitter.class);

    private final SocketPartitioner partitioner = new SocketPartitioner();
    private final int subtask;
    private final int parallelism;
    private final InterfaceSocketServer server;
    private final ReleaseMarker marker;
    private final ReleaseMetrics metrics;
    private final List<String> ownedAtStart = new ArrayList<>();
    private final Duration waitForAnalyzers;
    private final Duration drainTimeout;
    private final long pauseAboveBytes;
    private boolean waited;

    SocketReleaseCommitter(ExactlyOnceInterfaceSink sink, int subtask, int parallelism, InterfaceSocketServer server,
            ReleaseMarker marker, ReleaseMetrics metrics) throws IOException {
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.server = server;
        this.marker = marker;
        this.metrics = metrics;
        this.waitForAnalyzers = sink.waitForAnalyzers();
        this.drainTimeout = sink.drainTimeout();
        this.pauseAboveBytes = sink.connectionBufferBytes() / 2;
        for (String socket : sink.sockets()) {
            if (partitioner.owns(socket, subtask, parallelism)) {
                server.open(socket);
                ownedAtStart.add(socket);
            }
        }
        LOG.info("exactly-once committer {}/{} serves {}; last released batch #{}", subtask, parallelism,
                ownedAtStart, marker.last());
    }

    @Override
    public void commit(Collection<CommitRequest<EventBatch>> requests) throws IOException, InterruptedException {
        if (!waited) {
            waited = true;
            if (waitForAnalyzers != null && !ownedAtStart.isEmpty()) {
                List<String> missing = server.awaitAnalyzers(ownedAtStart, waitForAnalyzers);
                if (!missing.isEmpty()) {
                    LOG.warn("no analyzer connected within {} to {}", waitForAnalyzers, missing);
                }
            }
        }
        List<CommitRequest<EventBatch>> ordered = new ArrayList<>(requests);
        ordered.sort(Comparator.comparingLong(r -> r.getCommittable().sequence));
        for (CommitRequest<EventBatch> request : ordered) {
            EventBatch batch = request.getCommittable();
            if (batch.sequence <= marker.last()) {
                request.signalAlreadyCommitted();
                metrics.skipped();
                continue;
            }
            release(batch);
            marker.record(batch.sequence);
        }
    }

    private void release(EventBatch batch) throws IOException, InterruptedException {
        long delay = System.currentTimeMillis() - batch.firstEventMillis;
        long drainDeadline = System.nanoTime() + drainTimeout.toNanos();
        for (EventBatch.Entry e : batch.entries) {
            if (!server.isOpen(e.socket())) {
                server.open(e.socket());
            }
            if (server.queuedBytes() > pauseAboveBytes) {
                long left = drainDeadline - System.nanoTime();
                if (left > 0) {
                    server.drain(Duration.ofNanos(left));
                }
            }
            server.publish(e.socket(), e.bytes());
        }
        server.flush();
        metrics.released(batch, delay);
        LOG.info("released batch #{} of subtask {}: {} events, {} bytes; the oldest waited {} ms", batch.sequence,
                batch.subtask, batch.entries.size(), batch.bytes(), delay);
    }

    @Override
    public void close() throws Exception {
        if (!server.drain(drainTimeout)) {
            LOG.warn("analyzers did not take {} queued bytes within {}", server.queuedBytes(), drainTimeout);
        }
        server.close();
    }
}
