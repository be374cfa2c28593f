package io.sftap.source.synth;

import io.sftap.source.wire.TcpFlags;
import java.util.Arrays;

/**
 * Writes one TCP connection as frames: handshake, data in MSS-sized segments with ACKs, and a FIN
 * or RST close. Sequence numbers and the clock advance as a real exchange would.
 *
 * <pre>{@code
 * TcpSessionWriter s = new TcpSessionWriter(sink, client, 40000, server, 80, 1_000_000_000L);
 * s.handshake().clientSends(request).serverSends(response).close();
 * }</pre>
 */
public final class TcpSessionWriter {
    private final FrameSink sink;
    private final byte[] client;
    private final byte[] server;
    private final int clientPort;
    private final int serverPort;
    private int clientSeq;
    private int serverSeq;
    private long now;
    private int mss = 1460;
    private long stepNanos = 100_000L;

    public TcpSessionWriter(FrameSink sink, byte[] client, int clientPort, byte[] server, int serverPort, long startNanos) {
        this.sink = sink;
        this.client = client;
        this.server = server;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
        this.now = startNanos;
        this.clientSeq = (int) (0x1000_0000L + 7919L * clientPort);
        this.serverSeq = (int) (0x7000_0000L + 104729L * clientPort);
    }

    public TcpSessionWriter mss(int mss) {
        this.mss = mss;
        return this;
    }

    /** Time between consecutive frames. */
    public TcpSessionWriter step(long nanos) {
        this.stepNanos = nanos;
        return this;
    }

    /** Sets the initial sequence numbers (e.g. near 2^32 to exercise wrap-around). */
    public TcpSessionWriter initialSequences(int clientIsn, int serverIsn) {
        this.clientSeq = clientIsn;
        this.serverSeq = serverIsn;
        return this;
    }

    public long now() {
        return now;
    }

    public TcpSessionWriter handshake() {
        fromClient(TcpFlags.SYN, 0, new byte[0]);
        clientSeq++;
        fromServer(TcpFlags.SYN | TcpFlags.ACK, clientSeq, new byte[0]);
        serverSeq++;
        fromClient(TcpFlags.ACK, serverSeq, new byte[0]);
        return this;
    }

    public TcpSessionWriter clientSends(byte[] data) {
        for (int off = 0; off < data.length; off += mss) {
            byte[] seg = Arrays.copyOfRange(data, off, Math.min(data.length, off + mss));
            fromClient(TcpFlags.ACK | TcpFlags.PSH, serverSeq, seg);
            clientSeq += seg.length;
        }
        fromServer(TcpFlags.ACK, clientSeq, new byte[0]);
        return this;
    }

    public TcpSessionWriter serverSends(byte[] data) {
        for (int off = 0; off < data.length; off += mss) {
            byte[] seg = Arrays.copyOfRange(data, off, Math.min(data.length, off + mss));
            fromServer(TcpFlags.ACK | TcpFlags.PSH, clientSeq, seg);
            serverSeq += seg.length;
        }
        fromClient(TcpFlags.ACK, serverSeq, new byte[0]);
        return this;
    }

    /** FIN from the client, FIN from the server, final ACK. */
    public TcpSessionWriter close() {
        fromClient(TcpFlags.FIN | TcpFlags.ACK, serverSeq, new byte[0]);
        clientSeq++;
        fromServer(TcpFlags.FIN | TcpFlags.ACK, clientSeq, new byte[0]);
        serverSeq++;
        fromClient(TcpFlags.ACK, serverSeq, new byte[0]);
        return this;
    }

    /** RST from the client. */
    public TcpSessionWriter reset() {
        fromClient(TcpFlags.RST | TcpFlags.ACK, serverSeq, new byte[0]);
        return this;
    }

    private void fromClient(int flags, int ack, byte[] payload) {
        sink.frame(now, FrameBuilder.tcp(client, clientPort, server, serverPort, clientSeq, ack, flags, payload));
        now += stepNanos;
    }

    private void fromServer(int flags, int ack, byte[] payload) {
        sink.frame(now, FrameBuilder.tcp(server, serverPort, client, clientPort, serverSeq, ack, flags, payload));
        now += stepNanos;
    }
}
