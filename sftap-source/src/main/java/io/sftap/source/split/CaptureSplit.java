package io.sftap.source.split;

import java.nio.file.Path;
import java.util.Objects;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One unit of capture work: a file to read (later also a live interface), and where to start.
 *
 * <p>Immutable; progress lives in {@link CaptureSplitState}. {@code startingPosition} is a {@code
 * CaptureFileReader} position: 0 means the beginning.
 */
@Internal
public final class CaptureSplit implements SourceSplit {
    private final String splitId;
    private final CaptureSplitKind kind;
    /** The file path for {@link CaptureSplitKind#FILE}. */
    private final String location;
    private final long startingPosition;

    public CaptureSplit(String splitId, CaptureSplitKind kind, String location, long startingPosition) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.location = Objects.requireNonNull(location, "location");
        this.startingPosition = startingPosition;
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

    public CaptureSplit withStartingPosition(long position) {
        return new CaptureSplit(splitId, kind, location, position);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CaptureSplit)) {
            return false;
        }
        CaptureSplit s = (CaptureSplit) o;
        return splitId.equals(s.splitId) && kind == s.kind && location.equals(s.location)
                && startingPosition == s.startingPosition;
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, kind, location, startingPosition);
    }

    @Override
    public String toString() {
        return "CaptureSplit{" + splitId + ", " + kind + " " + location + " @" + startingPosition + "}";
    }
}
