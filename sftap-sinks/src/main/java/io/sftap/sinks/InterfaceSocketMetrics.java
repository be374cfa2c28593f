package io.sftap.sinks;

import io.sftap.sinks.socket.ConnectionCounters;
import io.sftap.sinks.socket.InterfaceSocketServer;
import io.sftap.sinks.socket.SocketServerListener;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metrics of one {@link UnixSocketSinkWriter}, under the writer's {@code sftap} group.
 *
 * <pre>
 * sftap.analyzers                        gauge: analyzers connected to this writer's sockets
 * sftap.connects, sftap.disconnects      analyzers that came and left
 * sftap.drop.no_analyzer                 events discarded: no analyzer on their socket
 * sftap.drop.overflow                    (event, analyzer) pairs dropped: the analyzer's buffer was full
 * sftap.drop.not_owned                   events routed to a writer that does not own their socket
 * sftap.drop.unrouted                    events without a socket
 * sftap.socket.&lt;path&gt;.events, .bytes      events and encoded bytes per socket
 * sftap.socket.&lt;path&gt;.analyzers           gauge per socket
 * </pre>
 *
 * <p>The analyzer gauges and {@code connects}/{@code disconnects} describe a server, not a writer:
 * when writers share one server ({@link UnixSocketSinkBuilder#setSharedInProcess}), only the
 * writer that {@link #reportServer reports} it registers them, so sums over subtasks count each
 * analyzer once. The event and drop counters are each writer's own.
 */
final class InterfaceSocketMetrics implements SocketServerListener {
    private final MetricGroup group;
    private final Counter noAnalyzer;
    private final Counter overflow;
    private final Counter notOwned;
    private final Counter unrouted;
    private final Map<String, SocketCounters> perSocket = new HashMap<>();
    /** The server whose analyzers this writer reports, or null. */
    private InterfaceSocketServer server;

    /** Events and bytes of one socket. */
    static final class SocketCounters {
        final Counter events;
        final Counter bytes;

        SocketCounters(Counter events, Counter bytes) {
            this.events = events;
            this.bytes = bytes;
        }
    }

    InterfaceSocketMetrics(MetricGroup group) {
        this.group = group;
        MetricGroup drop = group.addGroup("drop");
        this.noAnalyzer = drop.counter("no_analyzer");
        this.overflow = drop.counter("overflow");
        this.notOwned = drop.counter("not_owned");
        this.unrouted = drop.counter("unrouted");
    }

    /**
     * Registers the gauges that read {@code server} and its connection counters (once per server,
     * before the first {@link #socket}).
     */
    void reportServer(InterfaceSocketServer server, ConnectionCounters connections) {
        this.server = server;
        connections.register(group);
        group.gauge("analyzers", server::analyzerCount);
    }

    /** Counters of a socket, registered on first use (task thread only). */
    SocketCounters socket(String socket) {
        SocketCounters counters = perSocket.get(socket);
        if (counters == null) {
            MetricGroup g = group.addGroup("socket", socket);
            counters = new SocketCounters(g.counter("events"), g.counter("bytes"));
            perSocket.put(socket, counters);
            if (server != null) {
                InterfaceSocketServer reported = server;
                g.gauge("analyzers", () -> reported.analyzerCount(socket));
            }
        }
        return counters;
    }

    void notOwned() {
        notOwned.inc();
    }

    void unrouted() {
        unrouted.inc();
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
