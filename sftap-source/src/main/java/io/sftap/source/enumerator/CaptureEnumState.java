package io.sftap.source.enumerator;

import io.sftap.source.split.CaptureSplit;
import java.util.List;
import org.apache.flink.annotation.Internal;

/** The enumerator's checkpoint: the splits not yet handed to any reader, in hand-out order. */
@Internal
public final class CaptureEnumState {
    private final List<CaptureSplit> pendingSplits;

    public CaptureEnumState(List<CaptureSplit> pendingSplits) {
        this.pendingSplits = List.copyOf(pendingSplits);
    }

    public List<CaptureSplit> pendingSplits() {
        return pendingSplits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaptureEnumState && pendingSplits.equals(((CaptureEnumState) o).pendingSplits);
    }

    @Override
    public int hashCode() {
        return pendingSplits.hashCode();
    }

    @Override
    public String toString() {
        return "CaptureEnumState" + pendingSplits;
    }
}
