package io.sftap.sinks.exactlyonce;

import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.socket.InterfaceSocketServer;
import io.sftap.sinks.socket.SocketDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The abstract interfaces with exactly-once delivery: events reach the analyzers only when the
 * checkpoint that covers them completes, so after a failure and restore analyzers see every event
 * once. The price is latency (about one checkpoint interval) and state (one interval of events
 * per subtask in the checkpoint).
 *
 * <p>A two-phase Sink V2: the writer ({@link BatchingSinkWriter}) collects encoded events per
 * checkpoint into an {@link EventBatch}; the committer ({@link SocketReleaseCommitter}, same
 * subtask, owns the sockets) releases a batch on checkpoint completion. Partition the stream with
 * {@code SocketPartitioner} on {@code FlowEvent.socket}, as for the {@code UnixSocketSink}.
 *
 * <pre>{@code
 * ExactlyOnceInterfaceSink sink = new ExactlyOnceInterfaceSink(Path.of("/tmp/sf-tap"), sockets, null,
 *         4 << 20, Duration.ofSeconds(30), Duration.ofSeconds(10));
 * events.partitionCustom(new SocketPartitioner(), e -> e.socket).sinkTo(sink).uid("sftap-interface-sink");
 * }</pre>
 */
@PublicEvolving
public final class ExactlyOnceInterfaceSink
        implements Sink<FlowEvent>, SupportsCommitter<EventBatch>, SupportsWriterState<FlowEvent, Long> {
    private static final long serialVersionUID = 1L;
    static final String METRIC_GROUP = "sftap";

    private final String home;
    private final ArrayList<String> sockets;
    private final String group;
    private final int connectionBufferBytes;
    private final Duration waitForAnalyzers;
    private final Duration drainTimeout;

    public ExactlyOnceInterfaceSink(Path home, Collection<String> sockets, String group, int connectionBufferBytes,
            Duration waitForAnalyzers, Duration drainTimeout) {
        if (connectionBufferBytes <= 0) {
            throw new IllegalArgumentException("connection buffer must be positive, got " + connectionBufferBytes);
        }
        this.home = home.toAbsolutePath().normalize().toString();
        this.sockets = new ArrayList<>(sockets);
        this.group = group;
        this.connectionBufferBytes = connectionBufferBytes;
        this.waitForAnalyzers = waitForAnalyzers;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public SinkWriter<FlowEvent> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<FlowEvent, Long> restoreWriter(WriterInitContext context, Collection<Long> state) {
        long sequence = state.stream().mapToLong(Long::longValue).max().orElse(0);
        return new BatchingSinkWriter(context.getTaskInfo().getIndexOfThisSubtask(), sequence,
                context.metricGroup().addGroup(METRIC_GROUP).addGroup("drop").counter("unrouted"));
    }

    @Override
    public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
        return new BatchSequenceSerializer();
    }

    @Override
    public Committer<EventBatch> createCommitter(CommitterInitContext context) throws IOException {
        TaskInfo task = context.getTaskInfo();
        int subtask = task.getIndexOfThisSubtask();
        ReleaseMetrics metrics = new ReleaseMetrics(context.metricGroup().addGroup(METRIC_GROUP));
        Path homeDir = Path.of(home);
        ReleaseMarker marker = ReleaseMarker.open(homeDir, subtask, context.getRestoredCheckpointId().isPresent());
        InterfaceSocketServer server = new InterfaceSocketServer(new SocketDirectory(homeDir, group),
                connectionBufferBytes, InterfaceSocketServer.DEFAULT_STAGE_BYTES, metrics, "sftap-release-" + subtask);
        try {
            return new SocketReleaseCommitter(this, subtask, task.getNumberOfParallelSubtasks(), server, marker, metrics);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public SimpleVersionedSerializer<EventBatch> getCommittableSerializer() {
        return new EventBatchSerializer();
    }

    List<String> sockets() {
        return sockets;
    }

    int connectionBufferBytes() {
        return connectionBufferBytes;
    }

    Duration waitForAnalyzers() {
        return waitForAnalyzers;
    }

    Duration drainTimeout() {
        return drainTimeout;
    }
}
