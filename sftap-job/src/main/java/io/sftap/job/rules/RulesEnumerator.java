package io.sftap.job.rules;

import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Gives the single {@link RulesSplit} to reader 0 (the source runs with parallelism 1) and takes it
 * back when that reader fails before a checkpoint.
 */
@Internal
final class RulesEnumerator implements SplitEnumerator<RulesSplit, RulesEnumState> {
    private final SplitEnumeratorContext<RulesSplit> context;
    /** The split while no reader holds it. */
    private RulesSplit unassigned;

    RulesEnumerator(SplitEnumeratorContext<RulesSplit> context, RulesSplit unassigned) {
        this.context = context;
        this.unassigned = unassigned;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<RulesSplit> splits, int subtaskId) {
        if (!splits.isEmpty()) {
            unassigned = splits.get(0);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        if (unassigned != null) {
            context.assignSplit(unassigned, subtaskId);
            unassigned = null;
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public RulesEnumState snapshotState(long checkpointId) {
        return new RulesEnumState(unassigned);
    }

    @Override
    public void close() {}
}
