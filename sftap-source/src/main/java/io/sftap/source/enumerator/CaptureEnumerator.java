package io.sftap.source.enumerator;

import io.sftap.source.split.CaptureSplit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out a fixed set of capture splits: one split to each reader that asks, until none are
 * left, then tells the asker there are no more.
 *
 * <p>Readers ask when they start with nothing to do and after each finished split, so fast readers
 * take more files. Splits given back after a reader failure go to the front of the queue.
 */
@Internal
public final class CaptureEnumerator implements SplitEnumerator<CaptureSplit, CaptureEnumState> {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureEnumerator.class);

    private final SplitEnumeratorContext<CaptureSplit> context;
    private final ArrayDeque<CaptureSplit> pending;

    public CaptureEnumerator(SplitEnumeratorContext<CaptureSplit> context, Collection<CaptureSplit> splits) {
        this.context = context;
        this.pending = new ArrayDeque<>(splits);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (!context.registeredReaders().containsKey(subtaskId)) {
            // The reader failed after asking; it asks again when it comes back.
            return;
        }
        CaptureSplit split = pending.poll();
        if (split == null) {
            context.signalNoMoreSplits(subtaskId);
            return;
        }
        LOG.info("assigning {} to subtask {}", split, subtaskId);
        context.assignSplit(split, subtaskId);
    }

    @Override
    public void addSplitsBack(List<CaptureSplit> splits, int subtaskId) {
        LOG.info("subtask {} gave back {} split(s)", subtaskId, splits.size());
        for (int i = splits.size() - 1; i >= 0; i--) {
            pending.addFirst(splits.get(i));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers pull splits with split requests.
    }

    @Override
    public CaptureEnumState snapshotState(long checkpointId) {
        return new CaptureEnumState(new ArrayList<>(pending));
    }

    @Override
    public void close() {}
}
