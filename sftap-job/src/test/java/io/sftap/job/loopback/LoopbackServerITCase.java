package io.sftap.job.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.Packet;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loopback socket with real analyzer connections. */
class LoopbackServerITCase {
    static final String FLOW = "ip1=10.0.0.1,ip2=10.0.0.2,port1=80,port2=40000,hop=0,l3=ipv4,l4=tcp";

    @TempDir
    Path dir;

    final BlockingQueue<Packet> received = new LinkedBlockingQueue<>();

    static SocketChannel connect(Path socket) throws Exception {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    static void write(SocketChannel ch, String s) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    Packet next() throws Exception {
        Packet p = received.poll(10, TimeUnit.SECONDS);
        assertThat(p).as("an event within 10 s").isNotNull();
        return p;
    }

    @Test
    void malformedInputGetsAnErrorLineAndEndsOnlyThatConnectionsFlows() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(dir.resolve("loopback7"), false, received::put, () -> 7L)) {
            SocketChannel good = connect(server.socket());
            SocketChannel bad = connect(server.socket());
            write(good, FLOW + ",event=CREATED\n");
            write(bad, FLOW.replace("40000", "40001") + ",event=CREATED\n");
            assertThat(List.of(next().streamEvent, next().streamEvent))
                    .containsOnly(Packet.STREAM_CREATED);

            write(bad, "this is not a header\n");
            String reply;
            try (InputStream in = Channels.newInputStream(bad)) {
                reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(reply).startsWith("error: malformed loopback header").endsWith("\n");
            Packet ended = next();
            assertThat(ended.streamEvent).as("the bad connection's flow ends").isEqualTo(Packet.STREAM_DESTROYED);
            assertThat(ended.dstPort).isEqualTo(40001);

            write(good, FLOW + ",event=DATA,from=1,len=2\nok");
            Packet data = next();
            assertThat(data.streamEvent).as("the other connection is untouched").isEqualTo(Packet.STREAM_DATA);
            assertThat(new String(data.payload, StandardCharsets.ISO_8859_1)).isEqualTo("ok");

            good.close();
            Packet closed = next();
            assertThat(closed.streamEvent).as("closing ends what it opened").isEqualTo(Packet.STREAM_DESTROYED);
            assertThat(closed.dstPort).isEqualTo(40000);
            assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void socketBelongsToTheConfiguredGroupWithTheInterfaceSocketsPermissions() throws Exception {
        // Run as root in CI; "daemon" exists on Debian. The process's own group is never "daemon".
        Path socket = dir.resolve("sub").resolve("loopback7");
        try (LoopbackServer server = LoopbackServer.start(socket, false, "daemon", received::put, () -> 7L)) {
            assertThat(java.nio.file.Files.readAttributes(server.socket(), java.nio.file.attribute.PosixFileAttributes.class)
                    .group().getName()).isEqualTo("daemon");
            assertThat(java.nio.file.Files.getPosixFilePermissions(server.socket()))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
            assertThat(java.nio.file.Files.getPosixFilePermissions(socket.getParent()))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
            write(connect(server.socket()), FLOW + ",event=CREATED\n");
            assertThat(next().streamEvent).isEqualTo(Packet.STREAM_CREATED);
        }
    }

    @Test
    void aFileThatIsNotASocketIsNotReplaced() throws Exception {
        Path socket = dir.resolve("loopback7");
        java.nio.file.Files.writeString(socket, "precious");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> LoopbackServer.start(socket, false, received::put, () -> 7L))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("not a socket");
        assertThat(java.nio.file.Files.readString(socket)).isEqualTo("precious");
    }
}
