package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;

/** The operator's keyed-state key, switchable so the state cache can write back other flows. */
public interface FlowKeyContext {
    /** The key keyed state reads and writes now (null before the first record). */
    FlowKey currentFlowKey();

    void setCurrentFlowKey(FlowKey key);
}
