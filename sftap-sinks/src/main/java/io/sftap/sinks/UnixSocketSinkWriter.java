package io.sftap.sinks;

import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.socket.ConnectionCounters;
import io.sftap.sinks.socket.InterfaceSocket;
import io.sftap.sinks.socket.InterfaceSocketServer;
import io.sftap.sinks.socket.SocketDirectory;
import io.sftap.sinks.wire.EncodedEvent;
import io.sftap.sinks.wire.WireFormat;
import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer of the {@link UnixSocketSink}: encodes each event in its interface's wire format and
 * hands it to the {@link InterfaceSocketServer} of the sockets this subtask owns (its own server),
 * or of every socket (the process's {@link SharedInterfaceServers shared server}).
 *
 * <p>Events are staged per analyzer and written together within {@link #FLUSH_AFTER_MS} (plus the
 * timer's granularity) of the first one, or at once when a stage fills: one system call per
 * batch, not per event, on the task's thread (a processing-time timer, so no lock is shared with
 * the task).
 *
 * <p>Order of calls: the constructor opens the owned sockets of the start list; the first {@link
 * #write} waits for analyzers if so configured; {@link #write} opens a socket on its first event;
 * {@link #flush flush(true)} at end of input drains queued bytes for a bounded time; {@link
 * #close} disconnects analyzers and removes the socket files. A checkpoint's {@code flush(false)}
 * waits (at most {@link #CHECKPOINT_DRAIN_TIMEOUT}) until analyzers took the queued events: with
 * analyzers that keep up, delivery is at least once across a restore (events after the last
 * completed checkpoint are delivered again).
 */
@Internal
public class UnixSocketSinkWriter implements SinkWriter<FlowEvent> {
    static final String METRIC_GROUP = "sftap";
    /**
     * At a checkpoint, how long to wait for analyzers to take queued events: events before the
     * barrier then sit in the analyzers' kernel buffers and survive a crash of this process, so a
     * restore from that checkpoint loses none (at least once). Bounded, so a stuck analyzer delays a
     * checkpoint by at most this.
     */
    static final Duration CHECKPOINT_DRAIN_TIMEOUT = Duration.ofSeconds(1);

    /** How long a staged event may wait for others to share its write, in milliseconds. */
    static final long FLUSH_AFTER_MS = 1;

    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketSinkWriter.class);

    private final SocketPartitioner partitioner = new SocketPartitioner();
    private final int subtask;
    private final int parallelism;
    private final List<String> ownedAtStart = new ArrayList<>();
    private final Duration waitForAnalyzers;
    private final Duration drainTimeout;
    private final InterfaceSocketMetrics metrics;
    private final InterfaceSocketServer server;
    /** The process-wide server this writer holds, or null when it owns {@link #server} alone. */
    private final SharedInterfaceServers.Shared shared;
    private final Set<String> reportedNotOwned = new HashSet<>();
    /** Sockets this writer has published to, by name (task thread only). */
    private final Map<String, Route> routes = new HashMap<>();
    private final ProcessingTimeService time;
    private boolean waited;
    private boolean flushScheduled;
    private boolean closed;

    UnixSocketSinkWriter(UnixSocketSink sink, int subtask, int parallelism, MetricGroup metricGroup,
            ProcessingTimeService time) throws IOException {
        this.time = time;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.waitForAnalyzers = sink.waitForAnalyzers();
        this.drainTimeout = sink.drainTimeout();
        this.metrics = new InterfaceSocketMetrics(metricGroup);
        if (sink.sharedInProcess()) {
            this.shared = SharedInterfaceServers.acquire(sink);
            this.server = shared.server;
            if (shared.claimReporting()) {
                metrics.reportServer(server, shared.connections);
            }
        } else {
            ConnectionCounters connections = new ConnectionCounters();
            SocketDirectory directory = new SocketDirectory(Paths.get(sink.home()), sink.group());
            this.shared = null;
            this.server = new InterfaceSocketServer(directory, sink.connectionBufferBytes(),
                    InterfaceSocketServer.DEFAULT_STAGE_BYTES, connections, "sftap-interfaces-" + subtask);
            metrics.reportServer(server, connections);
        }
        try {
            for (String socket : sink.sockets()) {
                if (owns(socket)) {
                    server.open(socket);
                    metrics.socket(socket);
                    ownedAtStart.add(socket);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeServer();
            throw e;
        }
        LOG.info("subtask {}/{} serves {} under {}{}", subtask, parallelism, ownedAtStart, sink.home(),
                shared == null ? "" : " (one server for every subtask of this process)");
    }

    /** Whether this writer serves {@code socket}: every socket when the server is shared. */
    private boolean owns(String socket) {
        return shared != null || partitioner.owns(socket, subtask, parallelism);
    }

    @Override
    public void write(FlowEvent event, Context context) throws IOException, InterruptedException {
        if (!waited) {
            waited = true;
            awaitAnalyzers();
        }
        String socket = event.socket;
        if (socket == null) {
            metrics.unrouted();
            return;
        }
        Route route = routes.get(socket);
        if (route == null) {
            route = route(socket);
            if (route == null) {
                return;
            }
        }
        EncodedEvent encoded = WireFormat.forEvent(event).encodeParts(event);
        route.counters.events.inc();
        route.counters.bytes.inc(encoded.length());
        server.publish(route.socket, encoded, metrics);
        scheduleFlush();
    }

    /**
     * The route of the first event for {@code socket}: opens it if this writer owns it and it is
     * not open yet, and keeps it for the next events; null, counted and logged once, if another
     * subtask owns it.
     */
    private Route route(String socket) throws IOException {
        InterfaceSocket open = server.socket(socket);
        if (open == null) {
            if (!owns(socket)) {
                metrics.notOwned();
                if (reportedNotOwned.add(socket)) {
                    LOG.warn("subtask {}/{} got events for {}, which subtask {} owns; dropping them."
                            + " Partition the stream with SocketPartitioner on FlowEvent.socket.",
                            subtask, parallelism, socket, partitioner.partition(socket, parallelism));
                }
                return null;
            }
            server.open(socket);
            open = server.socket(socket);
        }
        Route route = new Route(open, metrics.socket(socket));
        routes.put(socket, route);
        return route;
    }

    /** An open socket and its counters: one lookup per event instead of three. */
    private static final class Route {
        final InterfaceSocket socket;
        final InterfaceSocketMetrics.SocketCounters counters;

        Route(InterfaceSocket socket, InterfaceSocketMetrics.SocketCounters counters) {
            this.socket = socket;
            this.counters = counters;
        }
    }

    /** Writes the staged events soon: one timer for all events published until it fires. */
    private void scheduleFlush() {
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        time.registerTimer(time.getCurrentProcessingTime() + FLUSH_AFTER_MS, now -> {
            flushScheduled = false;
            server.flush();
        });
    }

    private void awaitAnalyzers() throws InterruptedException {
        if (waitForAnalyzers == null || ownedAtStart.isEmpty()) {
            return;
        }
        LOG.info("waiting up to {} for analyzers on {}", waitForAnalyzers, ownedAtStart);
        List<String> missing = server.awaitAnalyzers(ownedAtStart, waitForAnalyzers);
        if (!missing.isEmpty()) {
            LOG.warn("no analyzer connected within {} to {}; their events are discarded until one connects",
                    waitForAnalyzers, missing);
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (endOfInput && !server.drain(drainTimeout)) {
            LOG.warn("analyzers did not take {} queued bytes within {}; they are lost at close",
                    server.queuedBytes(), drainTimeout);
        } else if (!endOfInput && !server.drain(CHECKPOINT_DRAIN_TIMEOUT)) {
            LOG.debug("checkpoint: {} bytes still queued for slow analyzers", server.queuedBytes());
        }
    }

    @Override
    public void close() throws Exception {
        closeServer();
    }

    private void closeServer() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (shared != null) {
            shared.release();
        } else {
            server.close();
        }
    }
}
