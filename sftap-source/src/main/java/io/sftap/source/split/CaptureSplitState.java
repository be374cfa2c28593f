package io.sftap.source.split;

import org.apache.flink.annotation.Internal;

/**
 * Mutable progress of a {@link CaptureSplit} in a reader.
 *
 * <p>Invariant: {@link #position()} is the position of the first record not yet emitted, so a
 * checkpoint taken at any time resumes without loss or repetition.
 */
@Internal
public final class CaptureSplitState {
    private final CaptureSplit split;
    private long position;

    public CaptureSplitState(CaptureSplit split) {
        this.split = split;
        this.position = split.startingPosition();
    }

    public long position() {
        return position;
    }

    /** Called after a record is emitted, with the position of the record after it. */
    public void setPosition(long position) {
        this.position = position;
    }

    public String splitId() {
        return split.splitId();
    }

    /** The split to checkpoint: the original one, starting where reading stands now. */
    public CaptureSplit toSplit() {
        return split.withStartingPosition(position);
    }
}
