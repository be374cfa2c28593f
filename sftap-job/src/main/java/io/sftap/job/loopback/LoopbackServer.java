package io.sftap.job.loopback;

import io.sftap.sinks.socket.SocketDirectory;
import io.sftap.source.unix.UnixServerSockets;
import io.sftap.source.wire.Packet;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code loopback7} UNIX socket server (plain Java): accepts analyzer connections, decodes
 * what they write with a {@link LoopbackDecoder} each, and hands the stream events to a {@link
 * Sink}.
 *
 * <p>One thread per connection, so a slow or broken analyzer affects only itself: malformed input
 * gets one line {@code error: <why>} written back, then that connection is closed. Whenever a
 * connection ends (closed by the analyzer, malformed, or the server closing) every TCP flow it
 * opened and did not destroy is ended with a DESTROYED event.
 */
public final class LoopbackServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackServer.class);

    /** Connections served at once; more are refused with an error line. */
    public static final int MAX_CONNECTIONS = 256;

    /** Receives decoded events; may block (backpressure to the writing analyzer). */
    @FunctionalInterface
    public interface Sink {
        void accept(Packet p) throws InterruptedException;
    }

    private final Path socket;
    private final boolean binary;
    private final Sink sink;
    private final LongSupplier arrivalNanos;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private final Thread acceptor;
    private volatile boolean closed;

    private LoopbackServer(Path socket, boolean binary, String group, Sink sink, LongSupplier arrivalNanos)
            throws IOException {
        this.binary = binary;
        this.sink = sink;
        this.arrivalNanos = arrivalNanos;
        // The interface sockets' rules: folders 0750 and the socket 0660 with the configured
        // group; a stale socket of an earlier run is replaced, any other file is refused.
        Path abs = socket.toAbsolutePath().normalize();
        SocketDirectory dir = new SocketDirectory(abs.getParent(), group);
        this.socket = dir.prepare(abs.getFileName().toString());
        server = UnixServerSockets.listen(this.socket, 0, dir::secure);
        acceptor = new Thread(this::acceptLoop, "sftap-loopback-accept");
        acceptor.setDaemon(true);
    }

    /** Binds {@code socket} (replacing a stale file) and starts accepting. */
    public static LoopbackServer start(Path socket, boolean binary, Sink sink, LongSupplier arrivalNanos)
            throws IOException {
        return start(socket, binary, null, sink, arrivalNanos);
    }

    /**
     * Binds {@code socket} as {@link #start(Path, boolean, Sink, LongSupplier)} does, readable and
     * writable by {@code group} (null: the process's group).
     */
    public static LoopbackServer start(Path socket, boolean binary, String group, Sink sink, LongSupplier arrivalNanos)
            throws IOException {
        LoopbackServer s = new LoopbackServer(socket, binary, group, sink, arrivalNanos);
        s.acceptor.start();
        LOG.info("L7 loopback listening on {} ({})", socket, binary ? "binary" : "text");
        return s;
    }

    public Path socket() {
        return socket;
    }

    /** Analyzer connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** {@link System#nanoTime()} of the latest connect, disconnect or event. */
    public long lastActivityNanos() {
        return lastActivity.get();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("L7 loopback {} stopped accepting: {}", socket, e.getMessage());
                }
                return;
            }
            touch();
            if (connections.size() >= MAX_CONNECTIONS) {
                refuse(ch, "too many loopback connections (" + MAX_CONNECTIONS + ")");
                continue;
            }
            connections.add(ch);
            Thread t = new Thread(() -> serve(ch), "sftap-loopback-conn");
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void serve(SocketChannel ch) {
        LoopbackDecoder decoder = new LoopbackDecoder(binary, arrivalNanos);
        LoopbackFlows flows = new LoopbackFlows();
        ByteBuffer in = ByteBuffer.allocate(65536);
        try {
            while (ch.read(in) >= 0) {
                in.flip();
                List<Packet> events = decoder.feed(in.array(), 0, in.limit());
                in.clear();
                for (Packet p : events) {
                    flows.track(p);
                    sink.accept(p);
                    touch();
                }
            }
            if (decoder.hasPartialEvent()) {
                LOG.warn("L7 loopback connection closed in the middle of an event; its flows end");
            }
        } catch (LoopbackFormatException e) {
            LOG.warn("L7 loopback connection refused: {}", e.getMessage());
            refuse(ch, e.getMessage());
        } catch (ClosedChannelException e) {
            // the server is closing
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("L7 loopback connection failed: {}", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(ch);
            connections.remove(ch);
            threads.remove(Thread.currentThread());
            return; // the reader is shutting down: nobody takes the DESTROYED events
        }
        closeQuietly(ch);
        connections.remove(ch);
        try {
            for (Packet p : flows.destroyAll()) {
                sink.accept(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.remove(Thread.currentThread());
        touch();
    }

    private static void refuse(SocketChannel ch, String why) {
        try {
            ByteBuffer b = ByteBuffer.wrap(("error: " + why + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining() && ch.write(b) > 0) {
                // a peer that stopped reading gets what fits
            }
        } catch (IOException ignored) {
            // the peer is gone: nothing to tell
        }
        closeQuietly(ch);
    }

    private void touch() {
        lastActivity.set(System.nanoTime());
    }

    /**
     * Stops accepting and closes every connection; their threads end their open flows (when the
     * sink still takes events). Waits up to {@code 2 s} for them.
     */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // best effort
        }
        connections.forEach(LoopbackServer::closeQuietly);
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.forEach(Thread::interrupt);
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
