package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;

/**
 * The operator's keyed-state key, switchable so the state cache can write back other flows, and
 * its event-time timers, so it can arm the timers of flows it kept.
 */
public interface FlowKeyContext {
    /** The key keyed state reads and writes now (null before the first record). */
    FlowKey currentFlowKey();

    void setCurrentFlowKey(FlowKey key);

    /** Registers an event-time timer of the current key (the function's own timers). */
    void registerEventTimeTimer(long timeMillis);

    /**
     * Gives the flow keys keyed state holds for {@code stateName} until {@code action} returns
     * false (a scan of the state: on open only).
     */
    void forEachStoredKey(String stateName, java.util.function.Predicate<FlowKey> action) throws Exception;

    /** Whether keyed state lives in the JVM heap (the heap state backend), which the encoded cache then shares. */
    boolean keyedStateOnHeap();

    /** Slots of the TaskManager this instance runs in: at most so many instances of the operator share its heap. */
    int taskSlots();
}
