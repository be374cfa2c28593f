package io.sftap.sinks;

import io.sftap.sinks.event.FlowEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The abstract interfaces: serves {@link FlowEvent}s to analyzers over UNIX-domain sockets under a
 * home directory, in SF-TAP's text or binary wire format, as each event's rule chose.
 *
 * <p>Each socket is served by exactly one writer: partition the stream with {@link
 * SocketPartitioner} on {@link FlowEvent#socket}; subtask {@code i} serves the sockets {@code p}
 * with {@code partition(p, parallelism) == i}. When every subtask runs in one process (an embedded
 * MiniCluster), {@link UnixSocketSinkBuilder#setSharedInProcess} lets all of them serve every
 * socket through one shared server instead, with no partitioning.
 *
 * <pre>{@code
 * UnixSocketSink sink = UnixSocketSink.builder()
 *         .setHome(Paths.get("/tmp/sf-tap"))
 *         .setSockets(List.of("tcp/http", "udp/dns"))
 *         .build();
 * events.partitionCustom(new SocketPartitioner(), e -> e.socket).sinkTo(sink).uid("interfaces");
 * }</pre>
 *
 * <p>Delivery is at most once by design: events nobody listens to are discarded, and an analyzer
 * that falls behind loses whole events; both are counted (see {@link UnixSocketSinkWriter}).
 */
@PublicEvolving
public class UnixSocketSink implements Sink<FlowEvent> {
    private static final long serialVersionUID = 1L;

    private final String home;
    private final ArrayList<String> sockets;
    private final String group;
    private final int connectionBufferBytes;
    private final Duration waitForAnalyzers;
    private final Duration drainTimeout;
    private final boolean sharedInProcess;

    UnixSocketSink(String home, Collection<String> sockets, String group, int connectionBufferBytes,
            Duration waitForAnalyzers, Duration drainTimeout, boolean sharedInProcess) {
        this.home = home;
        this.sockets = new ArrayList<>(sockets);
        this.group = group;
        this.connectionBufferBytes = connectionBufferBytes;
        this.waitForAnalyzers = waitForAnalyzers;
        this.drainTimeout = drainTimeout;
        this.sharedInProcess = sharedInProcess;
    }

    public static UnixSocketSinkBuilder builder() {
        return new UnixSocketSinkBuilder();
    }

    @Override
    public SinkWriter<FlowEvent> createWriter(WriterInitContext context) throws IOException {
        TaskInfo task = context.getTaskInfo();
        return new UnixSocketSinkWriter(this, task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks(),
                context.metricGroup().addGroup(UnixSocketSinkWriter.METRIC_GROUP), context.getProcessingTimeService());
    }

    String home() {
        return home;
    }

    List<String> sockets() {
        return sockets;
    }

    String group() {
        return group;
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

    /**
     * Whether every subtask serves every socket through one server per process ({@link
     * UnixSocketSinkBuilder#setSharedInProcess}): then the stream needs no {@link SocketPartitioner}.
     */
    public boolean sharedInProcess() {
        return sharedInProcess;
    }
}
