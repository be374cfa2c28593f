package io.sftap.job.ops;

import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.wire.WireEvent;
import io.sftap.sinks.wire.WireFormat;
import io.sftap.sinks.wire.WireFormatReader;
import io.sftap.source.wire.Direction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A test analyzer on one interface socket (text format): connects, reads events, and reconnects
 * whenever sftap goes away (a TaskManager died, the job restarted) until {@link #close}. Records
 * every event with its arrival time.
 */
public final class RecordingAnalyzer implements AutoCloseable {
    /** One received event and when it arrived (System.nanoTime). */
    public record Received(FlowEvent event, long arrivalNanos, int connection) {}

    private final Path socket;
    private final Thread thread;
    private final List<Received> received = new ArrayList<>();
    private volatile boolean running = true;
    private volatile SocketChannel channel;
    private int connections;

    public RecordingAnalyzer(Path socket) {
        this.socket = socket;
        this.thread = new Thread(this::run, "analyzer-" + socket.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(socket));
                channel = c;
                int connection;
                synchronized (this) {
                    connection = ++connections;
                }
                try (InputStream in = Channels.newInputStream(c)) {
                    WireFormatReader reader = new WireFormatReader(in, WireFormat.of(false), true);
                    for (WireEvent e = reader.next(); e != null; e = reader.next()) {
                        synchronized (this) {
                            received.add(new Received(e.event(), System.nanoTime(), connection));
                        }
                    }
                }
            } catch (IOException notThereOrGone) {
                // sftap is not (yet, or no longer) serving the socket: try again
            }
            channel = null;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public synchronized List<Received> received() {
        return new ArrayList<>(received);
    }

    public synchronized int connections() {
        return connections;
    }

    public List<FlowEvent> events() {
        return received().stream().map(Received::event).toList();
    }

    public boolean connected() {
        return channel != null;
    }

    @Override
    public void close() throws Exception {
        running = false;
        SocketChannel c = channel;
        if (c != null) {
            c.close();
        }
        thread.interrupt();
        thread.join(5000);
    }

    /** Identity of an event (a replay after a restore repeats events identically). */
    public static Object identity(FlowEvent e) {
        return List.of(e.key, e.type, e.from, e.timestampNanos, Arrays.hashCode(e.data), e.data.length);
    }

    /** The events without repeats, first occurrence order. */
    public static List<FlowEvent> distinct(List<FlowEvent> events) {
        Set<Object> seen = new HashSet<>();
        List<FlowEvent> out = new ArrayList<>();
        for (FlowEvent e : events) {
            if (seen.add(identity(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /** Number of events that are repeats of earlier ones. */
    public static int duplicates(List<FlowEvent> events) {
        return events.size() - distinct(events).size();
    }

    /** Events grouped by the connection's client port (the scenario's endpoint1 is the client). */
    public static Map<Integer, List<FlowEvent>> byClientPort(List<FlowEvent> events) {
        Map<Integer, List<FlowEvent>> out = new LinkedHashMap<>();
        for (FlowEvent e : events) {
            out.computeIfAbsent(e.key.port1, p -> new ArrayList<>()).add(e);
        }
        return out;
    }

    /** The DATA bytes of one direction, in delivery order. */
    public static byte[] bytesFrom(List<FlowEvent> flow, Direction from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FlowEvent e : flow) {
            if (e.type == EventType.DATA && Objects.equals(e.from, from)) {
                out.writeBytes(e.data);
            }
        }
        return out.toByteArray();
    }
}
