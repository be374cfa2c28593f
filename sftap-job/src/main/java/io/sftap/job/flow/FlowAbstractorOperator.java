package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * The flow abstractor's operator: Flink's keyed-broadcast operator (same state names, timers and
 * broadcast state, so savepoints are unchanged) that also lets {@link FlowAbstractorFunction}'s
 * state cache write back flows other than the current one and arm their timers, flushes that
 * cache before every checkpoint barrier, so snapshots hold every flow's latest state and timer,
 * and arms the timers of cached flows a watermark makes due before it fires timers.
 */
public final class FlowAbstractorOperator extends CoBroadcastWithKeyedOperator<FlowKey, io.sftap.source.wire.Packet,
        io.sftap.job.rules.RulesUpdate, io.sftap.sinks.event.FlowEvent> implements FlowKeyContext {
    private static final long serialVersionUID = 1L;
    /** Name of the timer service of {@link CoBroadcastWithKeyedOperator}. */
    private static final String USER_TIMERS = "user-timers";

    public FlowAbstractorOperator(FlowAbstractorFunction function) {
        super(function, List.of(FlowAbstractorFunction.RULES_STATE));
    }

    /** The timer service Flink's operator gives the function (same name, so the same timers). */
    private transient InternalTimerService<VoidNamespace> userTimers;

    @Override
    public void open() throws Exception {
        ((FlowAbstractorFunction) userFunction).useKeyContext(this);
        super.open();
        userTimers = getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        ((FlowAbstractorFunction) userFunction).trackStoredKeys(
                action -> forEachStoredKey(FlowAbstractorFunction.FLOW_STATE_NAME, action),
                StoredFlowKeys.DEFAULT_BITS_LOG2);
    }

    /** Arms the timers of cached flows that fall due before the timers of this watermark fire. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        ((FlowAbstractorFunction) userFunction).armCachedTimersDueBy(mark.getTimestamp());
        super.processWatermark(mark);
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

    @Override
    public void registerEventTimeTimer(long timeMillis) {
        userTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, timeMillis);
    }

    @Override
    public void forEachStoredKey(String stateName, Predicate<FlowKey> action) throws Exception {
        try (Stream<FlowKey> stored = this.<FlowKey>getKeyedStateBackend().getKeys(stateName, VoidNamespace.INSTANCE)) {
            Iterator<FlowKey> keys = stored.iterator();
            while (keys.hasNext() && action.test(keys.next())) {
                // the action stops the scan
            }
        }
    }
}
