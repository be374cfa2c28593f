package io.sftap.sinks.replicate;

import java.time.Duration;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each {@link Replica} to a {@link Replicator}. At end of input (a replayed capture) it waits
 * for the queues to empty, at most {@link #DRAIN_TIMEOUT}; checkpoints do not wait (UDP has no
 * delivery guarantee to keep, and a dead collector must not stall checkpoints).
 */
final class ReplicationSinkWriter implements SinkWriter<Replica> {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSinkWriter.class);
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final Replicator replicator;
    ReplicationSinkWriter(ReplicatorSettings settings, MetricGroup metricGroup) {
        this.replicator = Replicator.sending(settings, new ReplicationMetrics(metricGroup));
    }

    @Override
    public void write(Replica r, Context context) {
        replicator.replicate(r);
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        if (endOfInput && !replicator.awaitSent(DRAIN_TIMEOUT)) {
            LOG.warn("copies still queued after {}; they are dropped", DRAIN_TIMEOUT);
        }
    }

    @Override
    public void close() {
        replicator.close();
    }
}
