package io.sftap.source.live;

import io.sftap.source.pcap.CaptureRecord;
import io.sftap.source.reader.CaptureInput;
import io.sftap.source.unix.UnixServerSockets;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pcap} injection socket: a UNIX stream socket where clients write a classic pcap stream
 * (global header, then records) whose frames are processed as if captured, decoded with the link type
 * of the stream's header.
 *
 * <p>Any number of clients, one after another or at once, each with its own stream. A malformed
 * stream (bad magic, impossible record, end inside a record) closes only that client's connection,
 * with a log line, and counts once as {@code drop.malformed_capture_record}; other clients and
 * captured traffic go on. Metrics: {@code inject.clients}, {@code inject.malformed_streams}.
 */
@Internal
public final class InjectionSocketInput implements CaptureInput {
    private static final Logger LOG = LoggerFactory.getLogger(InjectionSocketInput.class);
    static final int WAIT_MILLIS = 100;

    private final Path path;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final List<Client> clients = new ArrayList<>();
    private final Counter clientCount;
    private final Counter malformedStreams;
    private long nextClientId;

    /** One connected client and the state of its stream. */
    private static final class Client {
        final long id;
        final SocketChannel channel;
        final PcapStreamParser parser = new PcapStreamParser();
        /** The client closed its side; leaves once its buffered records are served. */
        boolean ended;

        Client(long id, SocketChannel channel) {
            this.id = id;
            this.channel = channel;
        }
    }

    private InjectionSocketInput(Path path, ServerSocketChannel server, Selector selector, MetricGroup sftapGroup) {
        this.path = path;
        this.server = server;
        this.selector = selector;
        MetricGroup g = sftapGroup == null ? null : sftapGroup.addGroup("inject");
        this.clientCount = g == null ? new SimpleCounter() : g.counter("clients");
        this.malformedStreams = g == null ? new SimpleCounter() : g.counter("malformed_streams");
    }

    /**
     * Listens on {@code path}, replacing a stale socket file left by an earlier run.
     *
     * @throws IOException when the path holds something other than a socket, or cannot be bound
     */
    public static InjectionSocketInput open(Path path, MetricGroup sftapGroup) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) {
                throw new IOException("cannot create the pcap injection socket " + path
                        + ": a file that is not a socket is in the way");
            }
            Files.delete(path);
        }
        ServerSocketChannel server;
        try {
            server = UnixServerSockets.listen(path, 0, bound -> { });
        } catch (IOException e) {
            throw new IOException("cannot listen on the pcap injection socket " + path + ": " + e.getMessage(), e);
        }
        Selector selector = null;
        try {
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            throw new IOException("cannot listen on the pcap injection socket " + path + ": " + e.getMessage(), e);
        }
        LOG.info("pcap injection socket listening on {}", path);
        return new InjectionSocketInput(path, server, selector, sftapGroup);
    }

    @Override
    public int read(CaptureRecord record, boolean mayWait) throws IOException {
        int r = nextBuffered(record);
        if (r != IDLE) {
            return r;
        }
        try {
            if ((mayWait ? selector.select(WAIT_MILLIS) : selector.selectNow()) == 0) {
                return IDLE; // timeout or wakeUp()
            }
        } catch (ClosedSelectorException e) {
            return IDLE;
        }
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key.isAcceptable()) {
                accept();
            } else if (key.isReadable()) {
                receive((Client) key.attachment());
            }
        }
        return nextBuffered(record);
    }

    /**
     * The next whole record any client has buffered; MALFORMED if a stream turned out bad; else IDLE.
     * Clients whose stream ended leave here once their buffered records are served.
     */
    private int nextBuffered(CaptureRecord record) {
        for (int i = 0; i < clients.size(); i++) {
            Client c = clients.get(i);
            try {
                if (c.parser.next(record)) {
                    return FRAME;
                }
            } catch (PcapStreamParser.MalformedStreamException e) {
                rejectMalformed(c, e.getMessage());
                return MALFORMED;
            }
            if (c.ended) {
                if (c.parser.inMiddleOfRecord()) {
                    rejectMalformed(c, "stream ended inside " + (c.parser.linkType() < 0 ? "the header" : "a record"));
                    return MALFORMED;
                }
                LOG.info("pcap injection client #{} done after {} frames", c.id, c.parser.records());
                close(c);
                i--;
            }
        }
        return IDLE;
    }

    private void accept() throws IOException {
        SocketChannel ch = server.accept();
        if (ch == null) {
            return;
        }
        ch.configureBlocking(false);
        Client c = new Client(++nextClientId, ch);
        ch.register(selector, SelectionKey.OP_READ, c);
        clients.add(c);
        clientCount.inc();
        LOG.info("pcap injection client #{} connected to {}", c.id, path);
    }

    /** Reads what the client sent; at end of stream the client stays until its whole records are served. */
    private void receive(Client c) {
        try {
            int n = c.channel.read(c.parser.fillTarget());
            if (n > 0) {
                c.parser.filled(n);
            } else if (n < 0) {
                c.ended = true;
                c.channel.keyFor(selector).cancel();
            }
        } catch (IOException e) {
            LOG.warn("pcap injection client #{} failed: {}; closed", c.id, e.getMessage());
            close(c);
        }
    }

    private void rejectMalformed(Client c, String why) {
        malformedStreams.inc();
        LOG.warn("pcap injection client #{}: malformed pcap stream after {} frames ({}); connection closed",
                c.id, c.parser.records(), why);
        close(c);
    }

    private void close(Client c) {
        clients.remove(c);
        SelectionKey key = c.channel.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
        try {
            c.channel.close();
        } catch (IOException e) {
            LOG.debug("closing injection client #{}: {}", c.id, e.getMessage());
        }
    }

    /** Clients connected now. */
    public int connectedClients() {
        return clients.size();
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public long maxBatchDelayNanos() {
        return TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    }

    @Override
    public void wakeUp() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        for (Client c : new ArrayList<>(clients)) {
            close(c);
        }
        try {
            selector.close();
            server.close();
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
