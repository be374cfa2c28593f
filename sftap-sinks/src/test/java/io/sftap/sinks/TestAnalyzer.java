package io.sftap.sinks;

import io.sftap.sinks.wire.WireEvent;
import io.sftap.sinks.wire.WireFormat;
import io.sftap.sinks.wire.WireFormatReader;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * An analyzer for tests: connects to an interface socket and, once started, decodes every event
 * on a thread of its own until the sink closes the connection.
 */
final class TestAnalyzer implements AutoCloseable {
    final SocketChannel channel;
    private final WireFormat format;
    private final boolean body;
    private final List<WireEvent> events = new ArrayList<>();
    private volatile long bytes;
    private volatile boolean ended;
    private volatile Throwable failure;
    private Thread reader;

    private TestAnalyzer(SocketChannel channel, WireFormat format, boolean body) {
        this.channel = channel;
        this.format = format;
        this.body = body;
    }

    /** Connects without reading (a stuck analyzer until {@link #startReading} is called). */
    static TestAnalyzer connect(Path socket, boolean binary, boolean body) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new TestAnalyzer(ch, WireFormat.of(binary), body);
    }

    /** Connects and starts reading. */
    static TestAnalyzer reading(Path socket, boolean binary, boolean body) throws IOException {
        return connect(socket, binary, body).startReading();
    }

    TestAnalyzer startReading() {
        reader = new Thread(this::readAll, "test-analyzer");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    private void readAll() {
        WireFormatReader in = new WireFormatReader(Channels.newInputStream(channel), format, body);
        try {
            for (WireEvent e; (e = in.next()) != null; ) {
                synchronized (events) {
                    events.add(e);
                }
                bytes += e.event().data.length;
            }
        } catch (Throwable t) {
            if (channel.isOpen()) {
                failure = t;
            }
        } finally {
            ended = true;
        }
    }

    List<WireEvent> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    int eventCount() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Payload bytes received so far. */
    long bytes() {
        return bytes;
    }

    /** Whether the sink closed the stream (reader saw end of stream). */
    boolean ended() {
        return ended;
    }

    Throwable failure() {
        return failure;
    }

    List<WireEvent> awaitEvents(int n, Duration timeout) {
        await(() -> eventCount() >= n || failure != null, timeout, () -> "analyzer got " + eventCount() + " of " + n + " events");
        if (failure != null) {
            throw new AssertionError("analyzer could not decode its stream", failure);
        }
        return events();
    }

    static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
