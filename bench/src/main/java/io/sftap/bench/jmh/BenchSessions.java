package io.sftap.bench.jmh;

import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.FrameDecoder;
import io.sftap.source.wire.LinkTypes;
import io.sftap.source.wire.Packet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Frames and decoded packets of typical sessions, shared by the microbenchmarks. */
final class BenchSessions {
    static final byte[] CLIENT = {10, 0, 0, 1};
    static final byte[] SERVER = {(byte) 192, 0, 2, 10};
    static final byte[] REQUEST = ("GET /bench/index.html HTTP/1.1\r\nHost: bench.example\r\n"
            + "User-Agent: sftap-bench\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    static final byte[] RESPONSE = response(600);

    private BenchSessions() {}

    static byte[] response(int n) {
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[Math.max(n, head.length)];
        System.arraycopy(head, 0, out, 0, head.length);
        for (int i = head.length; i < out.length; i++) {
            out[i] = (byte) ('a' + i % 26);
        }
        return out;
    }

    /** The frames of one HTTP session: handshake, request, {@code responseBytes} of response, close. */
    static List<byte[]> httpFrames(int clientPort, int responseBytes) {
        List<byte[]> frames = new ArrayList<>();
        new TcpSessionWriter((t, f) -> frames.add(f), CLIENT, clientPort, SERVER, 80, 1_000_000_000L)
                .mss(1400)
                .handshake()
                .clientSends(REQUEST)
                .serverSends(response(responseBytes))
                .close();
        return frames;
    }

    /** The frames decoded as the source would. */
    static List<Packet> decode(List<byte[]> frames) {
        FrameDecoder decoder = new FrameDecoder();
        List<Packet> out = new ArrayList<>();
        long t = 1_000_000_000L;
        for (byte[] f : frames) {
            Packet p = new Packet();
            if (decoder.decode(LinkTypes.ETHERNET, f, 0, f.length, t += 1000, p) != null) {
                throw new IllegalStateException("bench frame did not decode");
            }
            out.add(p);
        }
        return out;
    }
}
