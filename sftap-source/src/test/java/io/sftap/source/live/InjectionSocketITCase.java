package io.sftap.source.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.SampleCaptures;
import io.sftap.source.pcap.PcapWriter;
import io.sftap.source.split.CaptureSplit;
import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.LinkTypes;
import io.sftap.source.wire.Packet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pcap injection socket served by a real PacketSourceReader, with real UNIX-socket clients. */
class InjectionSocketITCase {
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir Path dir;

    @Test
    void processesStreamsOfClientsOneAfterAnotherInEitherByteOrderAndPrecision() throws Exception {
        Path socket = dir.resolve("home/pcap");
        try (LiveReaderHarness h = new LiveReaderHarness(16, CaptureSplit.injection(socket))) {
            awaitSocket(h, socket);
            send(socket, ByteOrder.LITTLE_ENDIAN, false, "a", 20);
            send(socket, ByteOrder.BIG_ENDIAN, true, "b", 30);
            List<Packet> want = new ArrayList<>(micro(SampleCaptures.expected("a", 20, T0)));
            want.addAll(SampleCaptures.expected("b", 30, T0));
            h.pollUntil(x -> x.packets().size() >= want.size(), Duration.ofSeconds(20), "both streams");
            assertThat(h.packets()).containsExactlyElementsOf(want);
            assertThat(h.counter("inject", "clients")).isEqualTo(2);
            assertThat(h.counter("drop", DropReason.NOT_IP.metricName()))
                    .isEqualTo(arpFrames(20) + arpFrames(30));
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void closesOnlyTheMalformedStreamAndCountsIt() throws Exception {
        Path socket = dir.resolve("pcap");
        Files.createFile(dir.resolve("unrelated")); // a stale socket path is replaced, other files stay
        try (LiveReaderHarness h = new LiveReaderHarness(16, CaptureSplit.injection(socket))) {
            awaitSocket(h, socket);
            try (SocketChannel good = connect(socket)) {
                OutputStream out = Channels.newOutputStream(good);
                PcapWriter w = new PcapWriter(out, LinkTypes.ETHERNET, true, ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 10; i++) {
                    w.write(T0 + i * 1_000_000L, SampleCaptures.frame("g", i));
                }
                w.flush();
                // Meanwhile another client sends garbage, and a third stops inside a record.
                try (SocketChannel bad = connect(socket)) {
                    bad.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes()));
                    h.pollUntil(x -> x.counter("inject", "malformed_streams") == 1, Duration.ofSeconds(10),
                            "the garbage stream to be refused");
                    assertThat(bad.read(ByteBuffer.allocate(1))).isEqualTo(-1); // closed by the server
                }
                byte[] cut = stream(ByteOrder.BIG_ENDIAN, false, "c", 3);
                try (SocketChannel partial = connect(socket)) {
                    partial.write(ByteBuffer.wrap(cut, 0, cut.length - 5));
                }
                for (int i = 10; i < 20; i++) {
                    w.write(T0 + i * 1_000_000L, SampleCaptures.frame("g", i));
                }
                w.flush();
            }
            List<Packet> good = SampleCaptures.expected("g", 20, T0);
            // Drops are counted as records are emitted, in stream order, after the frames before them.
            h.pollUntil(x -> x.packets().stream().filter(p -> tag(p).equals("g")).count() == good.size()
                    && x.counter("drop", DropReason.MALFORMED_CAPTURE_RECORD.metricName()) == 2,
                    Duration.ofSeconds(20), "the good stream");
            assertThat(h.counter("inject", "malformed_streams")).isEqualTo(2);
            assertThat(h.packets().stream().filter(p -> tag(p).equals("g")).collect(Collectors.toList()))
                    .containsExactlyElementsOf(good);
            // The cut stream's two whole records were processed; its broken tail was counted.
            assertThat(h.packets().stream().filter(p -> tag(p).equals("c")).count()).isEqualTo(2);
            assertThat(h.counter("drop", DropReason.MALFORMED_CAPTURE_RECORD.metricName())).isEqualTo(2);
            assertThat(h.counter("inject", "clients")).isEqualTo(3);
        }
        assertThat(dir.resolve("unrelated")).exists();
    }

    @Test
    void countsFramesOfALinkTypeItDoesNotDecode() throws Exception {
        Path socket = dir.resolve("pcap");
        try (LiveReaderHarness h = new LiveReaderHarness(16, CaptureSplit.injection(socket))) {
            awaitSocket(h, socket);
            try (SocketChannel ch = connect(socket)) {
                PcapWriter w = new PcapWriter(Channels.newOutputStream(ch), 147, false, ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 5; i++) {
                    w.write(T0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                }
                w.write(T0, new byte[0]);
                w.flush();
            }
            h.pollUntil(x -> x.counter("frames") == 6, Duration.ofSeconds(10), "the frames");
            assertThat(h.counter("drop", DropReason.UNSUPPORTED_LINK_TYPE.metricName())).isEqualTo(6);
            assertThat(h.packets()).isEmpty();
        }
    }

    /** ARP frames among the first {@code frames} of SampleCaptures (every index i with i % 7 == 6). */
    private static long arpFrames(int frames) {
        return frames / 7;
    }

    private static String tag(Packet p) {
        String s = new String(p.payload);
        int hash = s.indexOf('#');
        return hash < 0 ? "" : s.substring(0, hash);
    }

    private static List<Packet> micro(List<Packet> packets) {
        packets.forEach(p -> p.timestampNanos = p.timestampNanos / 1000 * 1000);
        return packets;
    }

    private static void awaitSocket(LiveReaderHarness h, Path socket) throws Exception {
        h.pollUntil(x -> Files.exists(socket), Duration.ofSeconds(10), "the socket " + socket);
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    private static byte[] stream(ByteOrder order, boolean nanos, String tag, int frames) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, LinkTypes.ETHERNET, nanos, order)) {
            for (int i = 0; i < frames; i++) {
                w.write(T0 + i * 1_000_000L, SampleCaptures.frame(tag, i));
            }
        }
        return out.toByteArray();
    }

    private static void send(Path socket, ByteOrder order, boolean nanos, String tag, int frames) throws IOException {
        try (SocketChannel ch = connect(socket)) {
            ByteBuffer b = ByteBuffer.wrap(stream(order, nanos, tag, frames));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }
}
