package io.sftap.job.loopback;

/** Checkpointed state of the loopback enumerator: whether its one split is held by a reader. */
public final class LoopbackEnumState {
    public final boolean assigned;

    public LoopbackEnumState(boolean assigned) {
        this.assigned = assigned;
    }
}
