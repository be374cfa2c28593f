package io.sftap.sinks;

import io.sftap.sinks.socket.SocketDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test shorthand: whether a path exists and is a UNIX-domain socket file. */
final class SocketDirectoryProbe {
    private SocketDirectoryProbe() {}

    static boolean isSocket(Path p) throws IOException {
        return Files.exists(p) && SocketDirectory.isSocket(p);
    }
}
