package io.sftap.sinks;

import io.sftap.sinks.socket.InterfaceSocketServer;
import io.sftap.sinks.socket.SocketServerListener;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

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
 */
final class InterfaceSocketMetrics implements SocketServerListener {
    private final MetricGroup group;
    private final Counter connects;
    private final Counter disconnects;
    private final Counter noAnalyzer;
    private final Counter overflow;
    private final Counter notOwned;
    private final Counter unrouted;
    private final Map<String, SocketCounters> perSocket = new HashMap<>();
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
        // Incremented from the selector thread and, on a failed write, the task thread.
        this.connects = group.counter("connects", new ThreadSafeSimpleCounter());
        this.disconnects = group.counter("disconnects", new ThreadSafeSimpleCounter());
        MetricGroup drop = group.addGroup("drop");
        this.noAnalyzer = drop.counter("no_analyzer");
        this.overflow = drop.counter("overflow");
        this.notOwned = drop.counter("not_owned");
        this.unrouted = drop.counter("unrouted");
    }

    /** Registers the gauges that read the server. */
    void bind(InterfaceSocketServer server) {
        this.server = server;
        group.gauge("analyzers", server::analyzerCount);
    }

    /** Counters of a socket, registered on first use (task thread only). */
    SocketCounters socket(String socket) {
        return perSocket.computeIfAbsent(socket, s -> {
            MetricGroup g = group.addGroup("socket", s);
            g.gauge("analyzers", () -> server.analyzerCount(s));
            return new SocketCounters(g.counter("events"), g.counter("bytes"));
        });
    }

    void notOwned() {
        notOwned.inc();
    }

    void unrouted() {
        unrouted.inc();
    }

    @Override
    public void connected(String socket) {
        connects.inc();
    }

    @Override
    public void disconnected(String socket) {
        disconnects.inc();
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
