package io.sftap.sinks.exactlyonce;

import io.sftap.sinks.socket.ConnectionCounters;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Metrics of the {@link SocketReleaseCommitter}, in its {@code sftap} group.
 *
 * <pre>
 * sftap.released_events, released_bytes, released_batches, skipped_batches
 * sftap.release_delay_ms        gauge: how long the oldest event of the last batch waited
 * sftap.connects, disconnects, drop.no_analyzer, drop.overflow
 * </pre>
 */
final class ReleaseMetrics extends ConnectionCounters {
    private final Counter events;
    private final Counter bytes;
    private final Counter batches;
    private final Counter skipped;
    private final Counter noAnalyzer;
    private final Counter overflow;
    private volatile long lastDelayMillis;

    ReleaseMetrics(MetricGroup group) {
        events = group.counter("released_events");
        bytes = group.counter("released_bytes");
        batches = group.counter("released_batches");
        skipped = group.counter("skipped_batches");
        register(group);
        MetricGroup drop = group.addGroup("drop");
        noAnalyzer = drop.counter("no_analyzer");
        overflow = drop.counter("overflow");
        group.gauge("release_delay_ms", () -> lastDelayMillis);
    }

    void released(EventBatch batch, long delayMillis) {
        events.inc(batch.entries.size());
        bytes.inc(batch.bytes());
        batches.inc();
        lastDelayMillis = delayMillis;
    }

    void skipped() {
        skipped.inc();
    }

    @Override
    public void noAnalyzer(String socket) {
        noAnalyzer.inc();
    }

    @Override
    public void overflow(String socket) {
        overflow.inc();
    }
}
