package io.sftap.job.reassembly;

import java.io.Serializable;

/** Limits of the TCP reassembler. */
public final class ReassemblyLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Bytes of out-of-order data queued per direction before the flow is COMPROMISED. */
    public final int maxOutOfOrderBytes;
    /** Out-of-order segments queued per direction before the flow is COMPROMISED. */
    public final int maxOutOfOrderSegments;

    public ReassemblyLimits(int maxOutOfOrderBytes, int maxOutOfOrderSegments) {
        this.maxOutOfOrderBytes = maxOutOfOrderBytes;
        this.maxOutOfOrderSegments = maxOutOfOrderSegments;
    }

    public static ReassemblyLimits defaults() {
        return new ReassemblyLimits(1 << 20, 1024);
    }
}
