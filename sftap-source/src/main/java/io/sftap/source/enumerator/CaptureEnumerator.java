package io.sftap.source.enumerator;

import io.sftap.source.split.CaptureSplit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out capture splits. Files are pulled: one file to each reader that asks, until none are
 * left, then the asker is told there are no more. Live splits (interfaces, the injection socket)
 * never finish, so they are pushed: the i-th live split belongs to subtask {@code i % parallelism}
 * and is assigned as soon as that reader registers or asks.
 *
 * <p>Readers ask when they start with nothing to do and after each finished file, so fast readers
 * take more files. Splits given back after a reader failure go to the front of the queue; a live
 * split given back stays with the subtask that gave it back (it returns when that reader restarts).
 */
@Internal
public final class CaptureEnumerator implements SplitEnumerator<CaptureSplit, CaptureEnumState> {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureEnumerator.class);

    private final SplitEnumeratorContext<CaptureSplit> context;
    private final ArrayDeque<CaptureSplit> pendingFiles = new ArrayDeque<>();
    /** Live splits not yet assigned, by id, in configuration order, each with its owner subtask. */
    private final Map<String, CaptureSplit> pendingLive = new LinkedHashMap<>();
    private final Map<String, Integer> liveOwner = new HashMap<>();
    private final Set<String> assignedLive = new HashSet<>();

    public CaptureEnumerator(SplitEnumeratorContext<CaptureSplit> context, Collection<CaptureSplit> splits) {
        this(context, splits, Set.of());
    }

    /**
     * @param splits splits to hand out, files and live ones, in order
     * @param assignedLiveSplitIds live splits a previous run already handed out (restored state)
     */
    public CaptureEnumerator(SplitEnumeratorContext<CaptureSplit> context, Collection<CaptureSplit> splits,
            Set<String> assignedLiveSplitIds) {
        this.context = context;
        this.assignedLive.addAll(assignedLiveSplitIds);
        int parallelism = Math.max(1, context.currentParallelism());
        int live = 0;
        for (CaptureSplit split : splits) {
            if (split.kind().isLive()) {
                pendingLive.put(split.splitId(), split);
                liveOwner.put(split.splitId(), live++ % parallelism);
            } else {
                pendingFiles.add(split);
            }
        }
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (!context.registeredReaders().containsKey(subtaskId)) {
            // The reader failed after asking; it asks again when it comes back.
            return;
        }
        assignLiveSplits(subtaskId);
        CaptureSplit split = pendingFiles.poll();
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
            CaptureSplit split = splits.get(i);
            if (split.kind().isLive()) {
                assignedLive.remove(split.splitId());
                pendingLive.put(split.splitId(), split);
                liveOwner.put(split.splitId(), subtaskId);
            } else {
                pendingFiles.addFirst(split);
            }
        }
    }

    @Override
    public void addReader(int subtaskId) {
        // Files are pulled with split requests; live splits are pushed to their owner.
        assignLiveSplits(subtaskId);
    }

    private void assignLiveSplits(int subtaskId) {
        if (!context.registeredReaders().containsKey(subtaskId)) {
            return;
        }
        for (Iterator<CaptureSplit> it = pendingLive.values().iterator(); it.hasNext(); ) {
            CaptureSplit split = it.next();
            if (liveOwner.getOrDefault(split.splitId(), 0) % Math.max(1, context.currentParallelism()) == subtaskId) {
                it.remove();
                assignedLive.add(split.splitId());
                LOG.info("assigning {} to subtask {}", split, subtaskId);
                context.assignSplit(split, subtaskId);
            }
        }
    }

    @Override
    public CaptureEnumState snapshotState(long checkpointId) {
        List<CaptureSplit> pending = new ArrayList<>(pendingFiles);
        pending.addAll(pendingLive.values());
        return new CaptureEnumState(pending, assignedLive);
    }

    @Override
    public void close() {}
}
