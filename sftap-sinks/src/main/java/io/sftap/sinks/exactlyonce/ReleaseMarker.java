package io.sftap.sinks.exactlyonce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The last batch sequence a committer subtask released, kept in a small file under the socket
 * home ({@code .sftap-released/subtask-<i>}), next to the sockets it describes: a committer
 * restored from a checkpoint skips batches it released before the failure. Written atomically
 * (temporary file, then rename) after each release.
 *
 * <p>The remaining window: a process that dies after writing a batch to the sockets and before
 * renaming the marker re-releases that batch after the restore.
 */
public final class ReleaseMarker {
    static final String DIRECTORY = ".sftap-released";

    private final Path file;
    private long last;

    private ReleaseMarker(Path file, long last) {
        this.file = file;
        this.last = last;
    }

    /** The marker of {@code subtask}; a fresh job (not restored) starts from zero. */
    public static ReleaseMarker open(Path home, int subtask, boolean restored) throws IOException {
        Path file = home.resolve(DIRECTORY).resolve("subtask-" + subtask);
        Files.createDirectories(file.getParent());
        long last = 0;
        if (restored && Files.exists(file)) {
            try {
                last = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
            } catch (NumberFormatException e) {
                throw new IOException("corrupt release marker " + file + ": " + e.getMessage(), e);
            }
        }
        ReleaseMarker marker = new ReleaseMarker(file, last);
        if (!restored) {
            marker.record(0);
        }
        return marker;
    }

    public long last() {
        return last;
    }

    public void record(long sequence) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(sequence), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        last = sequence;
    }
}
