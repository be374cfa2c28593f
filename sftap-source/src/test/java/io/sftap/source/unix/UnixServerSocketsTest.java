package io.sftap.source.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listening UNIX socket appears at its path only when it accepts, with its final permissions. */
class UnixServerSocketsTest {
    @TempDir Path dir;

    @Test
    void pathAppearsOnlyAfterTheSocketListens() throws Exception {
        Path path = dir.resolve("pcap");
        List<Boolean> seenBeforePublish = new ArrayList<>();
        try (ServerSocketChannel server = UnixServerSockets.listen(path, 0, bound -> {
            seenBeforePublish.add(Files.exists(path));
            try (SocketChannel early = connect(bound)) { // already listening under the hidden name
                seenBeforePublish.add(early.isConnected());
            }
        })) {
            assertThat(seenBeforePublish).containsExactly(false, true);
            try (SocketChannel client = connect(path)) {
                assertThat(server.accept()).isNotNull();
            }
            assertThat(filesIn(dir)).containsExactly("pcap");
        }
    }

    @Test
    void permissionsSetBeforePublishAreThoseOfThePublishedFile() throws Exception {
        Path path = dir.resolve("http");
        try (ServerSocketChannel server = UnixServerSockets.listen(path, 0,
                bound -> Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-rw----")))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-rw----");
        }
    }

    @Test
    void replacesAStaleSocketFile() throws Exception {
        Path path = dir.resolve("dns");
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(path));
        }
        try (ServerSocketChannel server = UnixServerSockets.listen(path, 0, bound -> { });
                SocketChannel client = connect(path)) {
            assertThat(server.accept()).isNotNull();
        }
    }

    @Test
    void aFailedSetupLeavesNoFileBehind() {
        Path path = dir.resolve("tls");
        assertThatThrownBy(() -> UnixServerSockets.listen(path, 0, bound -> {
            throw new IOException("no such group");
        })).hasMessage("no such group");
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void bindsInPlaceWhenTheHiddenNameWouldBeTooLong() throws Exception {
        Path deep = Files.createDirectories(dir.resolve("d".repeat(Math.max(1,
                UnixServerSockets.MAX_PATH_BYTES - dir.toString().length() - 8))));
        Path path = deep.resolve("x"); // exactly at the limit or close below it
        assertThat(path.toString().length()).isLessThanOrEqualTo(UnixServerSockets.MAX_PATH_BYTES);
        assertThat(UnixServerSockets.hiddenSibling(path).toString().length())
                .isGreaterThan(UnixServerSockets.MAX_PATH_BYTES);
        try (ServerSocketChannel server = UnixServerSockets.listen(path, 0, bound -> assertThat(bound).isEqualTo(path));
                SocketChannel client = connect(path)) {
            assertThat(server.accept()).isNotNull();
        }
    }

    private static SocketChannel connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(path));
        return ch;
    }

    private static List<String> filesIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
