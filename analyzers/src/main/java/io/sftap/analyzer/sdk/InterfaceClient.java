package io.sftap.analyzer.sdk;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads events from one or several interface sockets (for example all balance slots of an
 * interface) and hands them to a {@link Listener}.
 *
 * <p>One thread per socket. Per socket, callbacks come in this order:
 * {@code onConnected (onEvent* onDisconnected)} for every connection; events of one socket arrive
 * in stream order, events of different sockets concurrently from their own threads. A flow never
 * spans sockets, so per-socket state needs no locking. When a connection ends (sftap stopped or
 * restarted), flows in progress on it are cut: the listener should finish them in
 * {@code onDisconnected}. With {@code reconnect} the client then connects again with exponential
 * backoff; without it (the {@code --once} mode of tools and tests) a socket's thread ends.
 *
 * <pre>{@code
 * InterfaceClient client = InterfaceClient.builder()
 *         .setHome(Path.of("/tmp/sf-tap")).setInterface("http").setFormat(Format.TEXT)
 *         .setListener((socket, event) -> System.out.println(event))
 *         .build();
 * client.start();
 * client.awaitTermination();
 * }</pre>
 */
public final class InterfaceClient implements Closeable {

    /** Receives the events of the sockets. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(Path socket, AnalyzerEvent event);

        default void onConnected(Path socket) {}

        /**
         * The connection ended; {@code cause} is null on a clean close at an event boundary, else
         * the error (a malformed stream, or a close in the middle of an event).
         */
        default void onDisconnected(Path socket, Exception cause) {}
    }

    private final Path home;
    private final String iface;
    private final Integer slot;
    private final List<Path> explicitSockets;
    private final Format format;
    private final boolean body;
    private final Listener listener;
    private final boolean reconnect;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile List<Path> sockets = List.of();

    private InterfaceClient(Builder b) {
        this.home = b.home;
        this.iface = b.iface;
        this.slot = b.slot;
        this.explicitSockets = b.sockets;
        this.format = b.format;
        this.body = b.body;
        this.listener = b.listener;
        this.reconnect = b.reconnect;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resolves the sockets and starts reading. With reconnect, waits (with backoff) until at least
     * one socket of the interface exists; without it, fails at once if none exists or one cannot be
     * connected.
     */
    public void start() throws IOException, InterruptedException {
        List<Path> found = resolve();
        long backoff = initialBackoff.toMillis();
        while (found.isEmpty()) {
            if (!reconnect) {
                throw new IOException("no socket for interface '" + iface + "' under " + home
                        + (slot != null ? " (slot " + slot + ")" : "")
                        + "; looked for tcp/, udp/, icmp/ " + iface + " and " + iface + "0..N-1");
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
            found = resolve();
        }
        sockets = List.copyOf(found);
        List<SocketChannel> first = new ArrayList<>();
        for (Path p : sockets) {
            if (reconnect) {
                first.add(null);
                continue;
            }
            try {
                first.add(connect(p));
            } catch (IOException e) {
                first.forEach(InterfaceClient::closeQuietly);
                throw new IOException("cannot connect to " + p + ": " + e.getMessage(), e);
            }
        }
        for (int i = 0; i < sockets.size(); i++) {
            Path p = sockets.get(i);
            SocketChannel ch = first.get(i);
            Thread t = new Thread(() -> readLoop(p, ch), "sftap-if-" + p.getFileName());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** The sockets being read (after {@link #start()}). */
    public List<Path> sockets() {
        return sockets;
    }

    /** Waits until every socket's thread ended (only happens without reconnect, or after close). */
    public void awaitTermination() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    @Override
    public void close() {
        closed = true;
        open.forEach(InterfaceClient::closeQuietly);
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<Path> resolve() throws IOException {
        if (explicitSockets != null) {
            return explicitSockets;
        }
        return slot != null ? InterfaceSockets.resolveSlot(home, iface, slot) : InterfaceSockets.resolve(home, iface);
    }

    private void readLoop(Path socket, SocketChannel firstChannel) {
        long backoff = initialBackoff.toMillis();
        SocketChannel ch = firstChannel;
        while (!closed) {
            try {
                if (ch == null) {
                    ch = connect(socket);
                }
                backoff = initialBackoff.toMillis();
                listener.onConnected(socket);
                Exception cause = null;
                try {
                    cause = pump(socket, ch);
                } catch (IOException e) {
                    cause = closed ? null : e;
                }
                listener.onDisconnected(socket, cause);
            } catch (IOException connectFailed) {
                // Not connected: sftap is not (yet) listening; retry below.
            } finally {
                if (ch != null) {
                    open.remove(ch);
                    closeQuietly(ch);
                    ch = null;
                }
            }
            if (!reconnect || closed) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
    }

    private Exception pump(Path socket, SocketChannel ch) throws IOException {
        EventStreamReader reader = new EventStreamReader(format, body);
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (ch.read(buf) >= 0) {
            buf.flip();
            for (AnalyzerEvent e : reader.feed(buf)) {
                try {
                    listener.onEvent(socket, e);
                } catch (RuntimeException bug) {
                    System.err.println("sftap analyzer: listener failed on " + e + " from " + socket + ": " + bug);
                    bug.printStackTrace();
                }
            }
            buf.clear();
        }
        return reader.hasPartialEvent() ? new EOFException("connection closed in the middle of an event") : null;
    }

    private SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            closeQuietly(ch);
            throw e;
        }
        open.add(ch);
        if (closed) {
            closeQuietly(ch);
        }
        return ch;
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    /** Builder of {@link InterfaceClient}; setters return {@code this}. */
    public static final class Builder {
        private Path home = Path.of("/tmp/sf-tap");
        private String iface;
        private Integer slot;
        private List<Path> sockets;
        private Format format = Format.TEXT;
        private boolean body = true;
        private Listener listener;
        private boolean reconnect = true;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);

        public Builder setHome(Path home) {
            this.home = home;
            return this;
        }

        /** Interface name ({@code http}), path relative to home ({@code tcp/http}) or glob. */
        public Builder setInterface(String iface) {
            this.iface = iface;
            return this;
        }

        /** Reads only balance slot {@code slot} ({@code <if><slot>}). */
        public Builder setSlot(int slot) {
            this.slot = slot;
            return this;
        }

        /** Reads exactly these socket files instead of resolving an interface. */
        public Builder setSockets(List<Path> sockets) {
            this.sockets = List.copyOf(sockets);
            return this;
        }

        public Builder setFormat(Format format) {
            this.format = format;
            return this;
        }

        /** Whether the interface sends DATA bytes ({@code body: yes}, the default). */
        public Builder setBody(boolean body) {
            this.body = body;
            return this;
        }

        public Builder setListener(Listener listener) {
            this.listener = listener;
            return this;
        }

        /** Reconnect when a connection ends (default); false stops each socket's reader then. */
        public Builder setReconnect(boolean reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        public Builder setBackoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public InterfaceClient build() {
            Objects.requireNonNull(listener, "listener must be set");
            Objects.requireNonNull(format, "format must be set");
            if (sockets == null) {
                Objects.requireNonNull(home, "home must be set");
                Objects.requireNonNull(iface, "interface or sockets must be set");
            } else if (sockets.isEmpty()) {
                throw new IllegalStateException("sockets must not be empty");
            }
            if (slot != null && slot < 0) {
                throw new IllegalStateException("slot must not be negative: " + slot);
            }
            if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalStateException("backoff must be positive and max >= initial");
            }
            return new InterfaceClient(this);
        }
    }
}
