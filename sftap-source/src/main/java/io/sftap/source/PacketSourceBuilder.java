package io.sftap.source;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

import io.sftap.source.pcap.CaptureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Builder of {@link PacketSource}.
 *
 * <pre>{@code
 * PacketSource source = PacketSource.builder()
 *         .setFiles(List.of(Path.of("a.pcap"), Path.of("b.pcapng")))
 *         .setFramesPerBatch(1024)
 *         .build();
 * }</pre>
 */
@PublicEvolving
public final class PacketSourceBuilder {
    private List<Path> files;
    private int framesPerBatch = PacketSourceOptions.FRAMES_PER_BATCH.defaultValue();

    PacketSourceBuilder() {}

    /** The capture files (pcap or pcapng) to read; each becomes one split. */
    public PacketSourceBuilder setFiles(List<Path> files) {
        this.files = files == null ? null : new ArrayList<>(files);
        return this;
    }

    public PacketSourceBuilder setFiles(Path... files) {
        return setFiles(Arrays.asList(files));
    }

    /** Frames read and decoded per fetch (see {@link PacketSourceOptions#FRAMES_PER_BATCH}). */
    public PacketSourceBuilder setFramesPerBatch(int framesPerBatch) {
        this.framesPerBatch = framesPerBatch;
        return this;
    }

    /**
     * Checks the settings and builds the source.
     *
     * @throws IllegalArgumentException or {@link IllegalStateException} naming the bad setting, or
     *     {@link UncheckedIOException} naming a file that is missing or not a capture
     */
    public PacketSource build() {
        sanityCheck();
        List<String> paths = new ArrayList<>();
        for (Path file : files) {
            paths.add(file.toAbsolutePath().normalize().toString());
        }
        return new PacketSource(paths, framesPerBatch);
    }

    private void sanityCheck() {
        checkNotNull(files, "no capture files: call setFiles(...)");
        checkState(!files.isEmpty(), "no capture files: setFiles(...) was given an empty list");
        checkArgument(framesPerBatch >= 1, "framesPerBatch must be at least 1, got %s", framesPerBatch);
        Set<Path> seen = new HashSet<>();
        for (Path file : files) {
            checkNotNull(file, "capture file list contains null");
            checkArgument(seen.add(file.toAbsolutePath().normalize()),
                    "capture file %s is listed twice; its packets would be read twice", file);
            try {
                CaptureFiles.detect(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
    }
}
