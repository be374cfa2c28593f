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

    /** Gives every flow key keyed state holds for {@code stateName} (a full scan: rare use only). */
    void forEachStoredKey(String stateName, java.util.function.Consumer<FlowKey> action) throws Exception;
}
