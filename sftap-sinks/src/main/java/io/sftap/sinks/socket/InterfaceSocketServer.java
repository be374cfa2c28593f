package io.sftap.sinks.socket;

import io.sftap.sinks.wire.EncodedEvent;
import io.sftap.source.unix.UnixServerSockets;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UNIX-domain socket servers for the abstract interfaces, with one selector thread that accepts
 * analyzers, notices when they leave, and writes what their sockets could not take at once.
 *
 * <p>Uses the JDK's own UNIX-domain sockets (Java 16+), not junixsocket: a Flink job's code is
 * loaded child-first and reloaded on every restart, and a library that unpacks and loads a native
 * library cannot load it again in a new class loader of the same JVM; the JDK needs no native
 * code of ours at all.
 *
 * <p>Threads: {@link #publish} and {@link #flush} may run on several publishing threads at once
 * (each connection stages whole events under its own lock), and so may {@link #open}. The
 * selector thread owns accepting, reading and queued writes. Every analyzer connected to a
 * socket gets every event published after it connected; an analyzer that cannot keep up loses
 * whole events once its buffer is full, and never slows the publisher or the other analyzers.
 */
public final class InterfaceSocketServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(InterfaceSocketServer.class);
    private static final int BACKLOG = 128;
    private static final long SELECT_TIMEOUT_MS = 1000;
    private static final long POLL_MS = 10;

    /** Stage size of the sinks: enough for a few hundred short events per write. */
    public static final int DEFAULT_STAGE_BYTES = 64 * 1024;

    private final SocketDirectory directory;
    private final int connectionBufferBytes;
    private final int stageBytes;
    private final SocketServerListener listener;
    private final Selector selector;
    private final Thread selectorThread;
    private final Map<String, InterfaceSocket> sockets = new ConcurrentHashMap<>();
    /** Work that must run on the selector thread (registering a channel). */
    private final Queue<Runnable> selectorTasks = new ConcurrentLinkedQueue<>();
    /** Notified whenever an analyzer connects. */
    private final Object connectedSignal = new Object();
    private volatile boolean running = true;

    /** A server that writes every published event at once (no staging, no {@link #flush} needed). */
    public InterfaceSocketServer(SocketDirectory directory, int connectionBufferBytes,
            SocketServerListener listener, String threadName) throws IOException {
        this(directory, connectionBufferBytes, 0, listener, threadName);
    }

    /**
     * A server that gathers published events per analyzer into writes of up to {@code stageBytes}
     * (0: write each at once); the publisher must call {@link #flush} soon after publishing.
     */
    public InterfaceSocketServer(SocketDirectory directory, int connectionBufferBytes, int stageBytes,
            SocketServerListener listener, String threadName) throws IOException {
        if (connectionBufferBytes <= 0) {
            throw new IllegalArgumentException("connection buffer must be positive: " + connectionBufferBytes);
        }
        if (stageBytes < 0) {
            throw new IllegalArgumentException("stage size must not be negative: " + stageBytes);
        }
        this.directory = Objects.requireNonNull(directory, "directory");
        this.connectionBufferBytes = connectionBufferBytes;
        this.stageBytes = stageBytes;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.selector = Selector.open();
        this.selectorThread = new Thread(this::runSelector, threadName);
        this.selectorThread.setDaemon(true);
        this.selectorThread.start();
    }

    /**
     * Creates and listens on {@code home/relative} unless it is open already. Synchronized: two
     * publishers of one server may ask for the same new socket at once, and the second must find it
     * open rather than replace the first one's socket file.
     */
    public synchronized void open(String relative) throws IOException {
        if (sockets.containsKey(relative)) {
            return;
        }
        Path path = directory.prepare(relative);
        ServerSocketChannel channel;
        try {
            channel = UnixServerSockets.listen(path, BACKLOG, directory::secure);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
        Object fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        InterfaceSocket socket = new InterfaceSocket(relative, path, channel, fileKey);
        sockets.put(relative, socket);
        onSelectorThread(() -> {
            try {
                channel.register(selector, SelectionKey.OP_ACCEPT, socket);
            } catch (IOException e) {
                LOG.error("cannot accept analyzers on {}", path, e);
            }
        });
        LOG.info("listening on {}", path);
    }

    public boolean isOpen(String relative) {
        return sockets.containsKey(relative);
    }

    /**
     * The open socket {@code relative}, or null. A socket stays open, and this handle valid, until
     * the server closes: a publisher may keep it and skip the lookup on every event.
     */
    public InterfaceSocket socket(String relative) {
        return sockets.get(relative);
    }

    /** The absolute path of an open socket. */
    public Path path(String relative) {
        return directory.resolve(relative);
    }

    /**
     * Sends one encoded event to every analyzer of an open socket. Never blocks on an analyzer.
     *
     * @throws IllegalStateException if the socket is not open
     */
    public void publish(String relative, byte[] event) {
        publish(relative, EncodedEvent.of(event));
    }

    /**
     * Sends one encoded event, header and body kept apart, to every analyzer of an open socket.
     * Never blocks on an analyzer.
     *
     * @throws IllegalStateException if the socket is not open
     */
    public void publish(String relative, EncodedEvent event) {
        publish(relative, event, listener);
    }

    /**
     * Sends one encoded event like {@link #publish(String, EncodedEvent)}, reporting its drops
     * ({@link SocketServerListener#noAnalyzer}, {@link SocketServerListener#overflow}) to {@code
     * publisher} rather than to the server's listener: each of several threads that publish to one
     * server counts its own events.
     */
    public void publish(String relative, EncodedEvent event, SocketServerListener publisher) {
        InterfaceSocket socket = sockets.get(relative);
        if (socket == null) {
            throw new IllegalStateException("socket " + relative + " is not open");
        }
        publish(socket, event, publisher);
    }

    /**
     * Sends one encoded event like {@link #publish(String, EncodedEvent, SocketServerListener)} to a
     * socket this server opened ({@link #socket}), without looking it up.
     */
    public void publish(InterfaceSocket socket, EncodedEvent event, SocketServerListener publisher) {
        if (socket.connections.isEmpty()) {
            publisher.noAnalyzer(socket.name);
            return;
        }
        for (AnalyzerConnection c : socket.connections) {
            switch (c.offer(event)) {
                case OVERFLOW:
                    publisher.overflow(socket.name);
                    break;
                case FAILED:
                    disconnect(socket, c);
                    break;
                default:
                    break;
            }
        }
    }

    /**
     * Writes what {@link #publish} staged for every analyzer (publishing thread). Without it, staged
     * events wait until their stage fills.
     */
    public void flush() {
        for (InterfaceSocket socket : sockets.values()) {
            for (AnalyzerConnection c : socket.connections) {
                if (!c.flushStaged()) {
                    disconnect(socket, c);
                }
            }
        }
    }

    /** Connected analyzers over all sockets. */
    public int analyzerCount() {
        int n = 0;
        for (InterfaceSocket s : sockets.values()) {
            n += s.connections.size();
        }
        return n;
    }

    /** Connected analyzers of one socket (0 if it is not open). */
    public int analyzerCount(String relative) {
        InterfaceSocket s = sockets.get(relative);
        return s == null ? 0 : s.connections.size();
    }

    /**
     * Waits until each of {@code relatives} has at least one analyzer, or the timeout passes.
     *
     * @return the sockets that still have none, in the given order
     */
    public List<String> awaitAnalyzers(Collection<String> relatives, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (connectedSignal) {
            while (true) {
                List<String> missing = new ArrayList<>();
                for (String r : relatives) {
                    if (analyzerCount(r) == 0) {
                        missing.add(r);
                    }
                }
                long left = deadline - System.nanoTime();
                if (missing.isEmpty() || left <= 0) {
                    return missing;
                }
                TimeUnit.NANOSECONDS.timedWait(connectedSignal, left);
            }
        }
    }

    /**
     * Waits until every analyzer has taken all queued bytes, or the timeout passes.
     *
     * @return true if nothing is queued any more
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queuedBytes() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(POLL_MS);
        }
        return true;
    }

    /** Bytes queued for all analyzers. */
    public long queuedBytes() {
        long n = 0;
        for (InterfaceSocket s : sockets.values()) {
            for (AnalyzerConnection c : s.connections) {
                n += c.pendingBytes();
            }
        }
        return n;
    }

    /** Stops the selector thread, disconnects all analyzers and removes the socket files. */
    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            selectorThread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (InterfaceSocket s : sockets.values()) {
            for (AnalyzerConnection c : s.connections) {
                if (c.markClosed()) {
                    c.release();
                }
            }
            s.connections.clear();
            s.channel.close();
            removeSocketFile(s);
        }
        sockets.clear();
        selector.close();
    }

    private void removeSocketFile(InterfaceSocket s) {
        try {
            BasicFileAttributes now = Files.readAttributes(s.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (Objects.equals(now.fileKey(), s.fileKey)) {
                Files.delete(s.path);
            }
        } catch (IOException e) {
            // gone already, or replaced by a successor that owns it now
        }
    }

    private void onSelectorThread(Runnable task) {
        selectorTasks.add(task);
        selector.wakeup();
    }

    private void runSelector() {
        ByteBuffer scratch = ByteBuffer.allocate(4096);
        while (running) {
            try {
                selector.select(SELECT_TIMEOUT_MS);
                for (Runnable task; (task = selectorTasks.poll()) != null; ) {
                    task.run();
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid()) {
                        handle(key, scratch);
                    }
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("interface socket selector failed; continuing", e);
            }
        }
    }

    private void handle(SelectionKey key, ByteBuffer scratch) throws IOException {
        Object attachment = key.attachment();
        if (attachment instanceof InterfaceSocket) {
            if (key.isAcceptable()) {
                accept((InterfaceSocket) attachment);
            }
            return;
        }
        AnalyzerConnection c = (AnalyzerConnection) attachment;
        InterfaceSocket socket = sockets.get(c.socket);
        if (key.isReadable() && !readAndDiscard(c, scratch)) {
            disconnect(socket, c);
            return;
        }
        if (key.isValid() && key.isWritable() && !c.writePending()) {
            disconnect(socket, c);
        }
    }

    private void accept(InterfaceSocket socket) throws IOException {
        for (SocketChannel ch; (ch = socket.channel.accept()) != null; ) {
            ch.configureBlocking(false);
            AnalyzerConnection c = new AnalyzerConnection(socket.name, ch, connectionBufferBytes, stageBytes);
            c.attach(ch.register(selector, SelectionKey.OP_READ, c));
            socket.connections.add(c);
            LOG.info("analyzer connected to {} ({} connected)", socket.path, socket.connections.size());
            listener.connected(socket.name);
            synchronized (connectedSignal) {
                connectedSignal.notifyAll();
            }
        }
    }

    /** Analyzers have nothing to say on these sockets; reading only tells when they leave. */
    private static boolean readAndDiscard(AnalyzerConnection c, ByteBuffer scratch) {
        scratch.clear();
        try {
            return c.channel.read(scratch) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void disconnect(InterfaceSocket socket, AnalyzerConnection c) {
        if (!c.markClosed()) {
            return;
        }
        if (socket != null) {
            socket.connections.remove(c);
        }
        c.release();
        LOG.info("analyzer left {}", socket == null ? c.socket : socket.path);
        listener.disconnected(c.socket);
    }
}
