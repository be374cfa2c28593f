package io.sftap.source.live;

/**
 * Watches the cumulative libpcap counters of one interface and says when loss grew, at most once per
 * quiet period, so a loss storm makes a few log lines, not one per poll.
 *
 * <p>Counters are cumulative since the capture was opened (libpcap's {@code pcap_stats}); a value
 * that goes down (a counter wrap in 32-bit kernels' stats) is taken as the new base.
 */
public final class CaptureLossMonitor {
    private final String iface;
    private final long quietNanos;
    private volatile long received;
    private volatile long kernelDrops;
    private volatile long ifDrops;
    /** Drops already reported in a warning. */
    private long reportedKernelDrops;
    private long reportedIfDrops;
    private long lastWarningNanos;
    private boolean warned;

    public CaptureLossMonitor(String iface, long quietNanos) {
        this.iface = iface;
        this.quietNanos = quietNanos;
    }

    /**
     * Records a poll of the counters.
     *
     * @return a warning to log when drops grew since the last warning and the quiet period is over,
     *     else null
     */
    public String observe(long nowNanos, long received, long kernelDrops, long ifDrops) {
        if (kernelDrops < this.kernelDrops || ifDrops < this.ifDrops) {
            reportedKernelDrops = Math.min(reportedKernelDrops, kernelDrops);
            reportedIfDrops = Math.min(reportedIfDrops, ifDrops);
        }
        this.received = received;
        this.kernelDrops = kernelDrops;
        this.ifDrops = ifDrops;
        long newKernel = kernelDrops - reportedKernelDrops;
        long newIf = ifDrops - reportedIfDrops;
        if (newKernel + newIf <= 0 || (warned && nowNanos - lastWarningNanos < quietNanos)) {
            return null;
        }
        warned = true;
        lastWarningNanos = nowNanos;
        reportedKernelDrops = kernelDrops;
        reportedIfDrops = ifDrops;
        return String.format(
                "capture on %s is losing packets: %d more dropped by the kernel (capture buffer full), %d more by "
                        + "the interface; totals %d kernel, %d interface of %d received. Raise the capture "
                        + "buffer, narrow the BPF filter, or add cells",
                iface, newKernel, newIf, kernelDrops, ifDrops, received);
    }

    /** Packets the filter passed (ps_recv), as of the last poll. */
    public long received() {
        return received;
    }

    /** Packets dropped because the capture buffer was full (ps_drop), as of the last poll. */
    public long kernelDrops() {
        return kernelDrops;
    }

    /** Packets the interface or its driver dropped (ps_ifdrop), as of the last poll. */
    public long ifDrops() {
        return ifDrops;
    }
}
