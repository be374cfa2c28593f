package io.sftap.job;

import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.classify.SftapConfig;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.wire.WireEvent;
import io.sftap.sinks.wire.WireFormat;
import io.sftap.sinks.wire.WireFormatReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Test analyzers: one reader per interface socket, each collecting events until sftap closes it. */
final class AnalyzerReaders implements AutoCloseable {
    /** Events per socket path (relative to home), in arrival order. */
    final Map<String, List<FlowEvent>> received = new ConcurrentHashMap<>();

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Future<?>> readers = new ArrayList<>();

    /** Starts a reader on every socket the rules define; each waits for its socket to appear. */
    AnalyzerReaders(Path home, SftapConfig config) {
        for (InterfaceSpec spec : config.rules.interfaces()) {
            for (String socket : spec.socketPaths()) {
                List<FlowEvent> events = Collections.synchronizedList(new ArrayList<>());
                received.put(socket, events);
                readers.add(pool.submit(() -> read(home.resolve(socket), spec, events)));
            }
        }
    }

    /** Waits until every socket was closed by sftap. */
    void awaitEnd(long seconds) throws Exception {
        for (Future<?> r : readers) {
            r.get(seconds, TimeUnit.SECONDS);
        }
    }

    /** Analyzer connections made: one per socket. */
    long connections() {
        return readers.size();
    }

    long total() {
        return received.values().stream().mapToLong(List::size).sum();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static void read(Path path, InterfaceSpec spec, List<FlowEvent> events) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            SocketChannel channel = null;
            while (channel == null) {
                try {
                    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(UnixDomainSocketAddress.of(path));
                } catch (IOException notYet) {
                    channel = null;
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(20);
                }
            }
            try (InputStream in = Channels.newInputStream(channel)) {
                WireFormatReader reader = new WireFormatReader(in, WireFormat.of(spec.binary), spec.body);
                for (WireEvent e = reader.next(); e != null; e = reader.next()) {
                    events.add(e.event());
                }
            }
        } catch (Exception e) {
            throw new AssertionError("analyzer on " + path + " failed", e);
        }
    }
}
