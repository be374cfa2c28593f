package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * The flow abstractor's operator: Flink's keyed-broadcast operator (same state names, timers and
 * broadcast state, so savepoints are unchanged) that also lets {@link FlowAbstractorFunction}'s
 * state cache write back flows other than the current one, and flushes that cache before every
 * checkpoint barrier, so snapshots hold every flow's latest state.
 */
public final class FlowAbstractorOperator extends CoBroadcastWithKeyedOperator<FlowKey, io.sftap.source.wire.Packet,
        io.sftap.job.rules.RulesUpdate, io.sftap.sinks.event.FlowEvent> implements FlowKeyContext {
    private static final long serialVersionUID = 1L;

    public FlowAbstractorOperator(FlowAbstractorFunction function) {
        super(function, List.of(FlowAbstractorFunction.RULES_STATE));
    }

    @Override
    public void open() throws Exception {
        ((FlowAbstractorFunction) userFunction).useKeyContext(this);
        super.open();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((FlowAbstractorFunction) userFunction).flushStateCache();
    }

    @Override
    public FlowKey currentFlowKey() {
        return (FlowKey) getCurrentKey();
    }

    @Override
    public void setCurrentFlowKey(FlowKey key) {
        setCurrentKey(key);
    }
}
