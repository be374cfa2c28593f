package io.sftap.source.synth;

import io.sftap.source.pcap.PcapWriter;
import io.sftap.source.wire.Addresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes sftap's sample capture: a few sessions of common protocols (HTTP with keep-alive and
 * chunking, TLS, SSH, SMTP, DNS, IPv6 HTTP, a fragmented UDP datagram, a reordered TCP stream).
 * Deterministic: the same bytes every run. {@code samples/sample.pcap} is made by this class.
 *
 * <pre>{@code java -cp sftap.jar io.sftap.source.synth.SampleCapture samples/sample.pcap}</pre>
 */
public final class SampleCapture {
    /** Start of the capture: 2026-01-01T00:00:00Z. */
    public static final long START_NANOS = 1_767_225_600_000_000_000L;

    private SampleCapture() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SampleCapture OUTPUT.pcap");
            System.exit(2);
        }
        write(Path.of(args[0]));
    }

    /** Writes the sample capture to {@code path} (Ethernet, microsecond pcap). */
    public static void write(Path path) throws IOException {
        List<long[]> order = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        FrameSink collect = (ts, frame) -> {
            order.add(new long[] {ts, frames.size()});
            frames.add(frame);
        };
        frames(collect);
        // Sessions were written one after another with overlapping clocks: merge by time, stable.
        order.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1]));
        try (PcapWriter w = PcapWriter.create(path, 1, false)) {
            for (long[] o : order) {
                w.write(o[0], frames.get((int) o[1]));
            }
        }
    }

    /** Emits every frame of the sample to {@code sink}, session by session. */
    public static void frames(FrameSink sink) {
        byte[] client = Addresses.parse("192.0.2.10");
        byte[] web = Addresses.parse("198.51.100.80");
        long t = START_NANOS;

        new TcpSessionWriter(sink, client, 40001, web, 80, t)
                .handshake()
                .clientSends(ascii("GET /index.html HTTP/1.1\r\nHost: example.org\r\nUser-Agent: sftap-sample\r\n\r\n"))
                .serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<h1>Hi!</h1>\n"))
                .clientSends(ascii("GET /news HTTP/1.1\r\nHost: example.org\r\n\r\n"))
                .serverSends(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"))
                .close();

        byte[] tls = Addresses.parse("198.51.100.43");
        new TcpSessionWriter(sink, client, 40002, tls, 443, t + 1_000_000_000L)
                .handshake()
                .clientSends(hex("16030100a5010000a10303" + "00".repeat(32) + "000002c02f01000076"
                        + "00".repeat(118)))
                .serverSends(hex("160303005d020000590303" + "11".repeat(32) + "00c02f000011"
                        + "00".repeat(80)))
                .clientSends(hex("1703030020" + "ab".repeat(32)))
                .close();

        byte[] ssh = Addresses.parse("198.51.100.22");
        new TcpSessionWriter(sink, client, 40003, ssh, 22, t + 2_000_000_000L)
                .handshake()
                .serverSends(ascii("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"))
                .clientSends(ascii("SSH-2.0-OpenSSH_9.6\r\n"))
                .reset();

        byte[] mail = Addresses.parse("198.51.100.25");
        new TcpSessionWriter(sink, client, 40004, mail, 25, t + 3_000_000_000L)
                .handshake()
                .serverSends(ascii("220 mail.example.org ESMTP\r\n"))
                .clientSends(ascii("EHLO client.example.org\r\n"))
                .serverSends(ascii("250-mail.example.org\r\n250 PIPELINING\r\n"))
                .clientSends(ascii("QUIT\r\n"))
                .serverSends(ascii("221 Bye\r\n"))
                .close();

        byte[] resolver = Addresses.parse("198.51.100.53");
        String question = "076578616d706c65036f72670000010001"; // example.org, type A, class IN
        byte[] query = hex("123401000001000000000000" + question);
        sink.frame(t + 4_000_000_000L, FrameBuilder.udp(client, 53001, resolver, 53, query));
        byte[] answer = hex("123481800001000100000000" + question + "c00c000100010000012c0004c0000201");
        sink.frame(t + 4_001_000_000L, FrameBuilder.udp(resolver, 53, client, 53001, answer));

        byte[] client6 = Addresses.parse("2001:db8::10");
        byte[] web6 = Addresses.parse("2001:db8::80");
        new TcpSessionWriter(sink, client6, 40005, web6, 80, t + 5_000_000_000L)
                .handshake()
                .clientSends(ascii("HEAD / HTTP/1.1\r\nHost: [2001:db8::80]\r\n\r\n"))
                .serverSends(ascii("HTTP/1.1 204 No Content\r\n\r\n"))
                .close();

        // A syslog datagram too large for one frame, sent as three IPv4 fragments, last one first.
        byte[] logger = Addresses.parse("192.0.2.51");
        byte[] collector = Addresses.parse("198.51.100.14");
        byte[] message = ascii("<134>Jan  1 00:00:06 router sftap-sample: " + "x".repeat(3000));
        byte[] datagram = FrameBuilder.udpDatagram(logger, 514, collector, 514, message);
        long ft = t + 6_000_000_000L;
        sink.frame(ft, FrameBuilder.ip(logger, collector, 17, slice(datagram, 2960, datagram.length), 2960, false, 77));
        sink.frame(ft + 1000, FrameBuilder.ip(logger, collector, 17, slice(datagram, 0, 1480), 0, true, 77));
        sink.frame(ft + 2000, FrameBuilder.ip(logger, collector, 17, slice(datagram, 1480, 2960), 1480, true, 77));

        // A client whose request segments arrive out of order.
        ReorderingSink reorder = new ReorderingSink(sink);
        new TcpSessionWriter(reorder, client, 40006, web, 80, t + 7_000_000_000L)
                .mss(16)
                .handshake()
                .clientSends(ascii("GET /reordered HTTP/1.0\r\nHost: example.org\r\n\r\n"))
                .serverSends(ascii("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
                .close();
        reorder.flush();
    }

    /** Swaps every two consecutive data-carrying frames (their timestamps stay in order). */
    private static final class ReorderingSink implements FrameSink {
        private final FrameSink next;
        private byte[] held;
        private long heldTs;

        ReorderingSink(FrameSink next) {
            this.next = next;
        }

        @Override
        public void frame(long ts, byte[] frame) {
            boolean data = frame.length > 14 + 20 + 20;
            if (data && held == null) {
                held = frame;
                heldTs = ts;
                return;
            }
            if (data) {
                next.frame(heldTs, frame);
                next.frame(ts, held);
                held = null;
                return;
            }
            flush();
            next.frame(ts, frame);
        }

        void flush() {
            if (held != null) {
                next.frame(heldTs, held);
                held = null;
            }
        }
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
