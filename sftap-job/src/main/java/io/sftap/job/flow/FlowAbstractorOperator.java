package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.CheckpointType;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.KeyedStateCheckpointOutputStream;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow abstractor's operator: Flink's keyed-broadcast operator (same state names, timers and
 * broadcast state as the first release) that also lets {@link FlowAbstractorFunction}'s state
 * caches write back flows other than the current one and arm their timers, flushes the decoded
 * cache before every checkpoint barrier, writes the encoded cache's changed flows into each
 * snapshot as raw keyed state (so snapshots hold every flow's latest state and timer without a
 * state backend write per changed flow) and takes them back on restore, and arms the timers of
 * cached flows a watermark makes due before it fires timers.
 */
public final class FlowAbstractorOperator extends CoBroadcastWithKeyedOperator<FlowKey, io.sftap.source.wire.Packet,
        io.sftap.job.rules.RulesUpdate, io.sftap.sinks.event.FlowEvent> implements FlowKeyContext {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FlowAbstractorOperator.class);
    /** Name of the timer service of {@link CoBroadcastWithKeyedOperator}. */
    private static final String USER_TIMERS = "user-timers";

    public FlowAbstractorOperator(FlowAbstractorFunction function) {
        super(function, List.of(FlowAbstractorFunction.RULES_STATE));
    }

    /** The timer service Flink's operator gives the function (same name, so the same timers). */
    private transient InternalTimerService<VoidNamespace> userTimers;
    /** Flows read from the restored raw keyed state, handed to the function once it is open. */
    private transient List<byte[]> restoredKeys;
    private transient List<byte[]> restoredStates;

    /** The raw keyed state stream is ours: Flink must not write or read timers there. */
    @Override
    protected boolean isUsingCustomRawKeyedState() {
        return true;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        if (getKeyedStateBackend() instanceof AbstractKeyedStateBackend<?> backend
                && backend.requiresLegacySynchronousTimerSnapshots(CheckpointType.CHECKPOINT)) {
            throw new IllegalStateException("The flow abstractor keeps its cached flows in raw keyed state, where this "
                    + "state backend would write heap timers: with RocksDB set "
                    + "state.backend.rocksdb.timer-service.factory: ROCKSDB (the default)");
        }
        restoredKeys = new ArrayList<>();
        restoredStates = new ArrayList<>();
        long start = System.nanoTime();
        for (KeyGroupStatePartitionStreamProvider group : context.getRawKeyedStateInputs()) {
            CachedFlowsRawState.read(group.getStream(), group.getKeyGroupId(), (key, state) -> {
                restoredKeys.add(key);
                restoredStates.add(state);
            });
        }
        if (!restoredKeys.isEmpty()) {
            LOG.info("{} changed cached flows read from the snapshot's raw keyed state in {} ms", restoredKeys.size(),
                    (System.nanoTime() - start) / 1_000_000L);
        }
    }

    @Override
    public void open() throws Exception {
        ((FlowAbstractorFunction) userFunction).useKeyContext(this);
        super.open();
        userTimers = getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        ((FlowAbstractorFunction) userFunction).trackStoredKeys(
                action -> forEachStoredKey(FlowAbstractorFunction.FLOW_STATE_NAME, action),
                StoredFlowKeys.DEFAULT_BITS_LOG2);
        ((FlowAbstractorFunction) userFunction).restoreCachedFlows(restoredKeys, restoredStates);
        restoredKeys = null;
        restoredStates = null;
    }

    /** Arms the timers of cached flows that fall due before the timers of this watermark fire. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        ((FlowAbstractorFunction) userFunction).armCachedTimersDueBy(mark.getTimestamp(),
                getOperatorStateBackend().getBroadcastState(FlowAbstractorFunction.RULES_STATE));
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((FlowAbstractorFunction) userFunction).flushStateCache();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        KeyedStateCheckpointOutputStream out = context.getRawKeyedOperatorStateOutput();
        ((FlowAbstractorFunction) userFunction).snapshotCachedFlows(out.getKeyGroupList(), out, out::startNewKeyGroup);
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

    @Override
    public boolean keyedStateOnHeap() {
        return getKeyedStateBackend() instanceof HeapKeyedStateBackend<?>;
    }

    @Override
    public int taskSlots() {
        return getContainingTask().getEnvironment().getTaskManagerInfo().getConfiguration()
                .get(TaskManagerOptions.NUM_TASK_SLOTS);
    }
}
