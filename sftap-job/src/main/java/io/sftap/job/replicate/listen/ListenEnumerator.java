package io.sftap.job.replicate.listen;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands each endpoint to one reader, chosen by the endpoint's hash, when that reader registers; an
 * endpoint given back after a failure goes to the same reader when it comes back. Endpoints are
 * never finished: the source is unbounded.
 */
final class ListenEnumerator implements SplitEnumerator<ListenSplit, List<ListenSplit>> {
    private final SplitEnumeratorContext<ListenSplit> context;
    private final List<ListenSplit> pending;

    ListenEnumerator(SplitEnumeratorContext<ListenSplit> context, List<ListenSplit> pending) {
        this.context = context;
        this.pending = new ArrayList<>(pending);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<ListenSplit> splits, int subtaskId) {
        pending.addAll(splits);
        if (context.registeredReaders().containsKey(subtaskId)) {
            addReader(subtaskId);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        int parallelism = context.currentParallelism();
        for (Iterator<ListenSplit> it = pending.iterator(); it.hasNext(); ) {
            ListenSplit s = it.next();
            if (Math.floorMod(s.splitId().hashCode(), parallelism) == subtaskId) {
                context.assignSplit(s, subtaskId);
                it.remove();
            }
        }
    }

    @Override
    public List<ListenSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(pending);
    }

    @Override
    public void close() {}
}
