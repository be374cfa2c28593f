package io.sftap.sinks.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder creation, permissions and refusals of the socket home. */
class SocketDirectoryTest {
    @TempDir Path tmp;

    @Test
    void createsMissingHomeAndFoldersAs0750() throws IOException {
        SocketDirectory dir = new SocketDirectory(tmp.resolve("a/home"), null);
        Path socket = dir.prepare("tcp/http");

        assertThat(socket).isEqualTo(tmp.resolve("a/home/tcp/http"));
        for (Path folder : new Path[] {tmp.resolve("a"), tmp.resolve("a/home"), tmp.resolve("a/home/tcp")}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                    .as("permissions of %s", folder).isEqualTo("rwxr-x---");
        }
        assertThat(Files.exists(socket)).isFalse();
    }

    @Test
    void leavesExistingHomePermissionsAlone() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxr-x"));
        new SocketDirectory(tmp, null).prepare("udp/dns");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp))).isEqualTo("rwxrwxr-x");
    }

    @Test
    void refusesToReplaceARegularFile() throws IOException {
        SocketDirectory dir = new SocketDirectory(tmp, null);
        Files.createDirectories(tmp.resolve("tcp"));
        Files.writeString(tmp.resolve("tcp/http"), "precious");

        assertThatThrownBy(() -> dir.prepare("tcp/http"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refusing to replace")
                .hasMessageContaining("a regular file, not a socket");
        assertThat(Files.readString(tmp.resolve("tcp/http"))).isEqualTo("precious");
    }

    @Test
    void refusesAHomeThatIsAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> new SocketDirectory(file, null))
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
    }

    @Test
    void refusesPathsLongerThanSunPath() throws IOException {
        SocketDirectory dir = new SocketDirectory(tmp, null);
        assertThatThrownBy(() -> dir.prepare("tcp/" + "x".repeat(120)))
                .isInstanceOf(IOException.class).hasMessageContaining("limited to 107 bytes");
    }

    @Test
    void refusesPathsThatLeaveTheHome() throws IOException {
        SocketDirectory dir = new SocketDirectory(tmp, null);
        assertThatThrownBy(() -> dir.prepare("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dir.prepare("/abs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesUnknownGroup() {
        assertThatThrownBy(() -> new SocketDirectory(tmp, "no-such-group-sftap"))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown UNIX group 'no-such-group-sftap'");
    }
}
