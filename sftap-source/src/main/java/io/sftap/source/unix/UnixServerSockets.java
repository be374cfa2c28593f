package io.sftap.source.unix;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/** Opens UNIX stream server sockets whose path appears only once they accept connections. */
public final class UnixServerSockets {
    /** sizeof(sun_path) on Linux is 108, including the terminating NUL. */
    public static final int MAX_PATH_BYTES = 107;

    /** Work done on the bound socket file before it is published, such as setting its permissions. */
    @FunctionalInterface
    public interface BeforePublish {
        void accept(Path boundFile) throws IOException;
    }

    private UnixServerSockets() {}

    /**
     * Binds and listens on a hidden name next to {@code path}, runs {@code beforePublish} on that
     * file, then renames it to {@code path}, replacing whatever socket file was there.
     *
     * <p>bind(2) creates the file before listen(2) runs; a client that connects when it sees the
     * file would be refused in between. The rename makes the file appear, with its final
     * permissions, only when connecting works. If the hidden name would exceed the length limit
     * of socket paths, the socket is bound at {@code path} itself.
     */
    public static ServerSocketChannel listen(Path path, int backlog, BeforePublish beforePublish) throws IOException {
        Path hidden = hiddenSibling(path);
        Path bindAt = bytes(hidden) <= MAX_PATH_BYTES ? hidden : path;
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean bound = false;
        try {
            channel.bind(UnixDomainSocketAddress.of(bindAt), backlog);
            bound = true;
            beforePublish.accept(bindAt);
            if (!bindAt.equals(path)) {
                Files.move(bindAt, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (bound) {
                Files.deleteIfExists(bindAt); // only a file this call created
            }
            throw e;
        }
    }

    static Path hiddenSibling(Path path) {
        int suffix = ThreadLocalRandom.current().nextInt(1 << 24);
        return path.resolveSibling(String.format(".%s.%06x", path.getFileName(), suffix));
    }

    private static int bytes(Path p) {
        return p.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
