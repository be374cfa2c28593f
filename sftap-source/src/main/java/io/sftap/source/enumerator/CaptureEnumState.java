package io.sftap.source.enumerator;

import io.sftap.source.split.CaptureSplit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;

/**
 * The enumerator's checkpoint: the splits not yet handed to any reader, in hand-out order, and the
 * ids of the live splits already handed out (readers keep those in their own state).
 *
 * <p>Knowing the handed-out live splits lets a restored job add interfaces that were configured
 * since the checkpoint without capturing any interface twice.
 */
@Internal
public final class CaptureEnumState {
    private final List<CaptureSplit> pendingSplits;
    private final Set<String> assignedLiveSplitIds;

    public CaptureEnumState(List<CaptureSplit> pendingSplits) {
        this(pendingSplits, Set.of());
    }

    public CaptureEnumState(List<CaptureSplit> pendingSplits, Set<String> assignedLiveSplitIds) {
        this.pendingSplits = List.copyOf(pendingSplits);
        this.assignedLiveSplitIds = Set.copyOf(new TreeSet<>(assignedLiveSplitIds));
    }

    public List<CaptureSplit> pendingSplits() {
        return pendingSplits;
    }

    public Set<String> assignedLiveSplitIds() {
        return assignedLiveSplitIds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaptureEnumState && pendingSplits.equals(((CaptureEnumState) o).pendingSplits)
                && assignedLiveSplitIds.equals(((CaptureEnumState) o).assignedLiveSplitIds);
    }

    @Override
    public int hashCode() {
        return pendingSplits.hashCode() * 31 + assignedLiveSplitIds.hashCode();
    }

    @Override
    public String toString() {
        return "CaptureEnumState" + pendingSplits + ", live assigned " + new TreeSet<>(assignedLiveSplitIds);
    }
}
