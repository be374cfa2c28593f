package io.sftap.source.split;

import io.sftap.source.live.LiveCaptureOptions;
import java.nio.file.Path;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One unit of capture work: a file to read and where to start, a live interface to capture, or the
 * pcap injection socket to serve.
 *
 * <p>Immutable; progress lives in {@link CaptureSplitState}. For files {@code startingPosition} is a
 * {@code CaptureFileReader} position (0 is the beginning). Live splits have no progress: their state
 * is just "capturing", always position 0, and a restored live split opens its interface again.
 */
@Internal
public final class CaptureSplit implements SourceSplit {
    private final String splitId;
    private final CaptureSplitKind kind;
    /** The file path (FILE), the interface name (INTERFACE) or the socket path (INJECT). */
    private final String location;
    private final long startingPosition;
    /** Capture settings; non-null exactly for {@link CaptureSplitKind#INTERFACE}. */
    @Nullable private final LiveCaptureOptions liveOptions;

    public CaptureSplit(String splitId, CaptureSplitKind kind, String location, long startingPosition) {
        this(splitId, kind, location, startingPosition,
                kind == CaptureSplitKind.INTERFACE ? LiveCaptureOptions.defaults() : null);
    }

    public CaptureSplit(String splitId, CaptureSplitKind kind, String location, long startingPosition,
            @Nullable LiveCaptureOptions liveOptions) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.location = Objects.requireNonNull(location, "location");
        this.startingPosition = startingPosition;
        if ((kind == CaptureSplitKind.INTERFACE) != (liveOptions != null)) {
            throw new IllegalArgumentException("capture options belong to interface splits only: " + kind);
        }
        this.liveOptions = liveOptions;
    }

    /** A split capturing one interface, with id {@code iface-<name>}. */
    public static CaptureSplit liveInterface(String name, LiveCaptureOptions options) {
        return new CaptureSplit("iface-" + name, CaptureSplitKind.INTERFACE, name, 0, Objects.requireNonNull(options));
    }

    /** The split serving the pcap injection socket at {@code socket}, with id {@code inject}. */
    public static CaptureSplit injection(Path socket) {
        return new CaptureSplit("inject", CaptureSplitKind.INJECT, socket.toString(), 0, null);
    }

    /** A split reading a whole file. */
    public static CaptureSplit file(String splitId, Path path) {
        return new CaptureSplit(splitId, CaptureSplitKind.FILE, path.toString(), 0);
    }

    @Override
    public String splitId() {
        return splitId;
    }

    public CaptureSplitKind kind() {
        return kind;
    }

    public String location() {
        return location;
    }

    /** The file to read; only for {@link CaptureSplitKind#FILE} splits. */
    public Path path() {
        if (kind != CaptureSplitKind.FILE) {
            throw new IllegalStateException("split " + splitId + " is a " + kind + " split, not a file");
        }
        return Path.of(location);
    }

    public long startingPosition() {
        return startingPosition;
    }

    /** Capture settings of an {@link CaptureSplitKind#INTERFACE} split. */
    public LiveCaptureOptions liveOptions() {
        if (liveOptions == null) {
            throw new IllegalStateException("split " + splitId + " is a " + kind + " split, not an interface");
        }
        return liveOptions;
    }

    public CaptureSplit withStartingPosition(long position) {
        return new CaptureSplit(splitId, kind, location, position, liveOptions);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CaptureSplit)) {
            return false;
        }
        CaptureSplit s = (CaptureSplit) o;
        return splitId.equals(s.splitId) && kind == s.kind && location.equals(s.location)
                && startingPosition == s.startingPosition && Objects.equals(liveOptions, s.liveOptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, kind, location, startingPosition, liveOptions);
    }

    @Override
    public String toString() {
        return "CaptureSplit{" + splitId + ", " + kind + " " + location
                + (liveOptions != null ? " (" + liveOptions + ")" : " @" + startingPosition) + "}";
    }
}
