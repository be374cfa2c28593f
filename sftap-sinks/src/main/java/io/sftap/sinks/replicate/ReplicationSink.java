package io.sftap.sinks.replicate;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The replicator's sink: sends each {@link Replica} to its collectors, keeping the original
 * sender's address for {@code preserve} targets (raw IP sockets, CAP_NET_RAW) and sending from our
 * own for {@code relay} targets. Per collector: a bounded queue, a sender thread, counters
 * {@code sftap.replicate.<rule>.<collector>.{sent,bytes,errors,drops}}.
 *
 * <pre>{@code
 * replicas.sinkTo(new ReplicationSink(ReplicatorSettings.defaults())).uid("sftap-replication-sink");
 * }</pre>
 */
@PublicEvolving
public final class ReplicationSink implements Sink<Replica> {
    private static final long serialVersionUID = 1L;

    private final ReplicatorSettings settings;

    public ReplicationSink(ReplicatorSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<Replica> createWriter(WriterInitContext context) {
        return new ReplicationSinkWriter(settings, context.metricGroup());
    }
}
