package io.sftap.job.flow;

import io.sftap.job.classify.GlobalSettings;
import io.sftap.job.reassembly.ReassemblyLimits;
import java.io.Serializable;

/** The settings the flow processor uses, taken from the rules file's {@code global} section. */
public final class FlowSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Data events an unclassified flow may buffer while waiting for a pattern to match. */
    public static final int MAX_WAIT_EVENTS = 8;
    /** How long a closed connection's tombstone swallows late segments. */
    public static final long CLOSED_LINGER_NANOS = 5_000_000_000L;

    public final int classifyBytes;
    public final boolean pickupWithoutSyn;
    public final long tcpTimeoutNanos;
    public final int hopLimit;
    public final ReassemblyLimits reassemblyLimits;

    public FlowSettings(
            int classifyBytes, boolean pickupWithoutSyn, long tcpTimeoutNanos, int hopLimit, ReassemblyLimits limits) {
        this.classifyBytes = classifyBytes;
        this.pickupWithoutSyn = pickupWithoutSyn;
        this.tcpTimeoutNanos = tcpTimeoutNanos;
        this.hopLimit = hopLimit;
        this.reassemblyLimits = limits;
    }

    public static FlowSettings of(GlobalSettings g) {
        return new FlowSettings(
                g.classifyBytes,
                g.pickupWithoutSyn,
                g.tcpTimeoutSeconds * 1_000_000_000L,
                g.hopLimit,
                new ReassemblyLimits(g.maxOutOfOrderBytes, g.maxOutOfOrderSegments));
    }

    /**
     * When the flow's pending timer should fire: the idle timeout, or the tombstone's linger. A
     * clean close still waiting for its last ACK waits as long as an idle flow would: in a slow
     * session that ACK may come well after the linger, and it must not open a new flow.
     */
    public long deadlineNanos(FlowState s) {
        boolean lingering = s.closed && !s.awaitingLastAck();
        return s.lastSeenNanos + (lingering ? Math.min(CLOSED_LINGER_NANOS, tcpTimeoutNanos) : tcpTimeoutNanos);
    }
}
