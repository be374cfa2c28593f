package io.sftap.sinks.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.wire.EncodedEvent;
import io.sftap.sinks.wire.TextWireFormat;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket server with staging: events reach analyzers whole, in order, on flush or when a stage fills. */
class InterfaceSocketServerTest {
    private static final int STAGE = 64;
    private static final String SOCKET = "tcp/x";

    @TempDir java.nio.file.Path home;

    @Test
    void stagedEventsReachTheAnalyzerOnFlushOrWhenTheStageFillsInOrder() throws Exception {
        try (InterfaceSocketServer server = new InterfaceSocketServer(new SocketDirectory(home, null), 1 << 20, STAGE,
                SocketServerListener.NONE, "test")) {
            try (SocketChannel analyzer = connectedAnalyzer(server)) {

                server.publish(SOCKET, event('a', 30));
                server.publish(SOCKET, event('b', 30));
                assertThat(server.queuedBytes()).isEqualTo(60);
                assertThat(analyzer.read(ByteBuffer.allocate(1))).as("nothing written before the flush").isZero();
                server.flush();
                assertThat(read(analyzer, 60)).isEqualTo("a".repeat(30) + "b".repeat(30));

                server.publish(SOCKET, event('c', 40));
                server.publish(SOCKET, event('d', 40)); // does not fit behind c: c is written
                assertThat(read(analyzer, 40)).isEqualTo("c".repeat(40));
                server.publish(SOCKET, event('e', 100)); // larger than a stage: d first, then e at once
                assertThat(read(analyzer, 140)).isEqualTo("d".repeat(40) + "e".repeat(100));
                assertThat(server.queuedBytes()).isZero();
            }
        }
    }

    @Test
    void serverWithoutStagingWritesEveryEventAtOnce() throws Exception {
        try (InterfaceSocketServer server = new InterfaceSocketServer(new SocketDirectory(home, null), 1 << 20,
                SocketServerListener.NONE, "test")) {
            try (SocketChannel analyzer = connectedAnalyzer(server)) {
                server.publish(SOCKET, event('a', 10));
                assertThat(read(analyzer, 10)).isEqualTo("a".repeat(10));
            }
        }
    }

    @Test
    void eventWhoseBodyIsKeptApartArrivesWholeStagedOrNot() throws Exception {
        byte[] body = "GET / HTTP/1.1\r\n\r\n".repeat(40).getBytes(StandardCharsets.US_ASCII);
        FlowEvent e = FlowEvent.data(new FlowKey(0, 4, 6, new byte[] {10, 0, 0, 1}, 80, new byte[] {10, 0, 0, 2}, 5000),
                Direction.FROM_ENDPOINT2, Match.UP, body, 1_000_000_000L).routeTo("x", SOCKET, false, true);
        byte[] whole = TextWireFormat.INSTANCE.encode(e);
        for (int stage : new int[] {0, 4096}) {
            try (InterfaceSocketServer server = new InterfaceSocketServer(new SocketDirectory(home.resolve("s" + stage), null),
                    1 << 20, stage, SocketServerListener.NONE, "test")) {
                try (SocketChannel analyzer = connectedAnalyzer(server)) {
                    server.publish(SOCKET, TextWireFormat.INSTANCE.encodeParts(e));
                    server.flush();
                    assertThat(read(analyzer, whole.length)).as("stage %d", stage)
                            .isEqualTo(new String(whole, StandardCharsets.ISO_8859_1));
                }
            }
        }
    }

    @Test
    void heldSocketHandlePublishesLikeItsNameAndCountsDropsUnderIt() throws Exception {
        try (InterfaceSocketServer server = new InterfaceSocketServer(new SocketDirectory(home, null), 1 << 20,
                SocketServerListener.NONE, "test")) {
            assertThat(server.socket(SOCKET)).as("not open yet").isNull();
            List<String> noAnalyzer = new ArrayList<>();
            server.open(SOCKET);
            InterfaceSocket handle = server.socket(SOCKET);
            assertThat(handle.name()).isEqualTo(SOCKET);
            server.publish(handle, EncodedEvent.of(event('x', 5)), new SocketServerListener() {
                @Override
                public void noAnalyzer(String socket) {
                    noAnalyzer.add(socket);
                }
            });
            assertThat(noAnalyzer).containsExactly(SOCKET);
            try (SocketChannel analyzer = connectedAnalyzer(server)) {
                assertThat(server.socket(SOCKET)).as("opening again keeps the socket").isSameAs(handle);
                server.publish(handle, EncodedEvent.of(event('a', 10)), SocketServerListener.NONE);
                assertThat(read(analyzer, 10)).isEqualTo("a".repeat(10));
            }
        }
    }

    /** Opens the socket and connects one non-blocking analyzer, once the server has seen it. */
    private static SocketChannel connectedAnalyzer(InterfaceSocketServer server) throws Exception {
        server.open(SOCKET);
        SocketChannel analyzer = SocketChannel.open(UnixDomainSocketAddress.of(server.path(SOCKET)));
        assertThat(server.awaitAnalyzers(List.of(SOCKET), Duration.ofSeconds(10))).isEmpty();
        analyzer.configureBlocking(false);
        return analyzer;
    }

    private static byte[] event(char c, int length) {
        return String.valueOf(c).repeat(length).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads exactly {@code n} bytes within 10 s, then checks that no more arrived. */
    private static String read(SocketChannel analyzer, int n) throws IOException, InterruptedException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(n + 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            buffer.clear().limit(n - got.size());
            if (analyzer.read(buffer) > 0) {
                got.write(buffer.array(), 0, buffer.position());
            } else {
                Thread.sleep(1);
            }
        }
        buffer.clear();
        assertThat(analyzer.read(buffer)).as("bytes beyond the expected %d", n).isZero();
        return got.toString(StandardCharsets.US_ASCII);
    }
}
