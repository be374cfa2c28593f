package io.sftap.job.loopback;

import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Gives the loopback split to the first reader that registers (the source runs with parallelism
 * 1); any other reader gets no split. A split given back after a failure goes to the next reader.
 */
final class LoopbackEnumerator implements SplitEnumerator<LoopbackSplit, LoopbackEnumState> {
    private final SplitEnumeratorContext<LoopbackSplit> context;
    private final LoopbackSplit split;
    private boolean assigned;

    LoopbackEnumerator(SplitEnumeratorContext<LoopbackSplit> context, LoopbackSplit split, boolean assigned) {
        this.context = context;
        this.split = split;
        this.assigned = assigned;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<LoopbackSplit> splits, int subtaskId) {
        if (!splits.isEmpty()) {
            assigned = false;
        }
    }

    @Override
    public void addReader(int subtaskId) {
        if (!assigned) {
            assigned = true;
            context.assignSplit(split, subtaskId);
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public LoopbackEnumState snapshotState(long checkpointId) {
        return new LoopbackEnumState(assigned);
    }

    @Override
    public void close() {}
}
