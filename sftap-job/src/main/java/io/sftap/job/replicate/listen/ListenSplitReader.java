package io.sftap.job.replicate.listen;

import io.sftap.source.wire.IpProtocols;
import io.sftap.source.wire.Packet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every endpoint of one reader from one selector in the fetcher thread: UDP datagrams become
 * {@link Packet}s with the sender's address and port; TCP syslog connections are framed with a
 * {@link SyslogTcpFramer} each and every message becomes a Packet as if it had come by UDP from the
 * client's address and port to the listening port.
 */
final class ListenSplitReader implements SplitReader<Packet, ListenSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ListenSplitReader.class);
    /** Largest UDP payload over IPv4; longer TCP syslog messages are cut to it. */
    static final int MAX_MESSAGE = 65507;
    private static final int RECEIVE_BUFFER = 8 << 20;

    /** What a selection key stands for. */
    private static final class Endpoint {
        final ListenSplit split;
        final byte[] localAddress;
        final int port;

        Endpoint(ListenSplit split, InetAddress local, int port) {
            this.split = split;
            this.localAddress = local.getAddress();
            this.port = port;
        }
    }

    /** One TCP syslog connection. */
    private static final class Connection {
        final Endpoint endpoint;
        final byte[] peerAddress;
        final int peerPort;
        final SyslogTcpFramer framer = new SyslogTcpFramer(MAX_MESSAGE);

        Connection(Endpoint endpoint, InetSocketAddress peer) {
            this.endpoint = endpoint;
            this.peerAddress = peer.getAddress().getAddress();
            this.peerPort = peer.getPort();
        }
    }

    private final Selector selector;
    private final int batchSize;
    private final ListenMetrics metrics;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
    private final byte[] chunk = new byte[65536];

    ListenSplitReader(int batchSize, ListenMetrics metrics) throws IOException {
        this.selector = Selector.open();
        this.batchSize = batchSize;
        this.metrics = metrics;
    }

    @Override
    public RecordsWithSplitIds<Packet> fetch() throws IOException {
        RecordsBySplits.Builder<Packet> out = new RecordsBySplits.Builder<>();
        if (selector.select(200) == 0) {
            return out.build();
        }
        int n = 0;
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key.channel() instanceof DatagramChannel) {
                n += receiveDatagrams(key, out, batchSize - n);
            } else if (key.channel() instanceof ServerSocketChannel) {
                accept(key);
            } else {
                n += readConnection(key, out);
            }
        }
        return out.build();
    }

    private int receiveDatagrams(SelectionKey key, RecordsBySplits.Builder<Packet> out, int budget) throws IOException {
        DatagramChannel ch = (DatagramChannel) key.channel();
        Endpoint e = (Endpoint) key.attachment();
        int n = 0;
        while (n < Math.max(budget, 1)) {
            buffer.clear();
            InetSocketAddress from = (InetSocketAddress) ch.receive(buffer);
            if (from == null) {
                break;
            }
            buffer.flip();
            byte[] payload = new byte[buffer.remaining()];
            buffer.get(payload);
            metrics.datagrams.inc();
            metrics.bytes.inc(payload.length);
            out.add(e.split.splitId(), packet(from.getAddress().getAddress(), from.getPort(), e, payload));
            n++;
        }
        return n;
    }

    private void accept(SelectionKey key) throws IOException {
        ServerSocketChannel server = (ServerSocketChannel) key.channel();
        SocketChannel c;
        while ((c = server.accept()) != null) {
            c.configureBlocking(false);
            metrics.tcpConnections.inc();
            c.register(selector, SelectionKey.OP_READ, new Connection((Endpoint) key.attachment(), (InetSocketAddress) c.getRemoteAddress()));
        }
    }

    private int readConnection(SelectionKey key, RecordsBySplits.Builder<Packet> out) {
        SocketChannel ch = (SocketChannel) key.channel();
        Connection c = (Connection) key.attachment();
        int n = 0;
        try {
            ByteBuffer b = ByteBuffer.wrap(chunk);
            int read = ch.read(b);
            if (read < 0) {
                byte[] last = c.framer.finish();
                if (last != null) {
                    n += emit(c, last, out);
                }
                close(key);
                return n;
            }
            for (byte[] m : c.framer.feed(chunk, 0, read)) {
                n += emit(c, m, out);
            }
        } catch (SyslogTcpFramer.FramingException ex) {
            metrics.framingErrors.inc();
            LOG.warn("closing syslog connection from {}: {}", InetAddresses.text(c.peerAddress, c.peerPort), ex.getMessage());
            close(key);
        } catch (IOException ex) {
            close(key);
        }
        return n;
    }

    private int emit(Connection c, byte[] message, RecordsBySplits.Builder<Packet> out) {
        metrics.tcpMessages.inc();
        out.add(c.endpoint.split.splitId(), packet(c.peerAddress, c.peerPort, c.endpoint, message));
        return 1;
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** A whole UDP datagram as the capture source would have decoded it. */
    static Packet packet(byte[] src, int srcPort, Endpoint e, byte[] payload) {
        Packet p = new Packet();
        p.timestampNanos = System.currentTimeMillis() * 1_000_000L;
        p.ipVersion = (byte) (src.length == 4 ? 4 : 6);
        p.protocol = IpProtocols.UDP;
        p.srcAddr = src;
        p.dstAddr = e.localAddress.length == src.length ? e.localAddress : new byte[src.length];
        p.srcPort = srcPort;
        p.dstPort = e.port;
        p.payload = payload;
        return p;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ListenSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            return;
        }
        for (ListenSplit s : change.splits()) {
            try {
                open(s);
            } catch (IOException e) {
                throw new IllegalStateException("cannot listen on " + s.endpoint + ": " + e.getMessage(), e);
            }
        }
    }

    private void open(ListenSplit s) throws IOException {
        ListenEndpoint ep = s.endpoint;
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(ep.address), ep.port);
        Endpoint e = new Endpoint(s, bind.getAddress(), ep.port);
        if (ep.kind == ListenEndpoint.Kind.UDP) {
            DatagramChannel ch = DatagramChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            ch.bind(bind);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, e);
        } else {
            ServerSocketChannel ch = ServerSocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(bind, 128);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_ACCEPT, e);
        }
        LOG.info("listening on {}", ep);
    }

    @Override
    public void wakeUp() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        for (SelectionKey k : selector.keys()) {
            k.channel().close();
        }
        selector.close();
    }

    /** For {@link List} users that want the endpoints of this reader (tests). */
    int openEndpoints() {
        return selector.keys().size();
    }
}
