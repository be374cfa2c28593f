package io.sftap.source.live;

import io.sftap.source.pcap.CaptureRecord;
import io.sftap.source.reader.CaptureInput;
import java.io.EOFException;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.BlockingMode;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live interface captured through libpcap (pcap4j), read as raw frames: no pcap4j packet parsing
 * on the hot path, our {@code FrameDecoder} decodes.
 *
 * <p>Only a read with nothing in hand blocks; once a batch has frames the handle is switched to
 * non-blocking, so frames already read are never held while the network is quiet. A blocking read
 * on an idle interface can wait forever (with TPACKET_V3 the kernel does not retire an empty block
 * at the read timeout), so {@link #wakeUp()} calls {@code pcap_breakloop}, which in libpcap 1.10 on
 * Linux wakes a read blocked in poll. libpcap's statistics are polled at most every {@link
 * #STATS_INTERVAL_NANOS} and before each wait, and published as gauges {@code live.<iface>.received},
 * {@code kernel_drops} and {@code if_drops}; growing drops are logged.
 */
@Internal
public final class InterfaceCaptureInput implements CaptureInput {
    private static final Logger LOG = LoggerFactory.getLogger(InterfaceCaptureInput.class);
    static final long STATS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long WARNING_QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String iface;
    private final PcapHandle handle;
    private final int linkType;
    private final long maxBatchDelayNanos;
    private final CaptureLossMonitor loss;
    private long nextStatsPoll;
    private long framesSinceStats;
    private boolean blocking = true;

    private InterfaceCaptureInput(String iface, PcapHandle handle, LiveCaptureOptions options, MetricGroup sftapGroup) {
        this.iface = iface;
        this.handle = handle;
        this.linkType = handle.getDlt().value();
        this.maxBatchDelayNanos = TimeUnit.MILLISECONDS.toNanos(options.readTimeoutMillis());
        this.loss = new CaptureLossMonitor(iface, WARNING_QUIET_NANOS);
        if (sftapGroup != null) {
            MetricGroup g = sftapGroup.addGroup("live").addGroup(iface);
            g.gauge("received", (Gauge<Long>) loss::received);
            g.gauge("kernel_drops", (Gauge<Long>) loss::kernelDrops);
            g.gauge("if_drops", (Gauge<Long>) loss::ifDrops);
        }
        this.nextStatsPoll = System.nanoTime() + STATS_INTERVAL_NANOS;
    }

    /**
     * Opens {@code iface} with the given options.
     *
     * @param sftapGroup where to add the {@code live.<iface>} gauges; null for none
     * @throws IOException naming the interface and what to do (see {@link LiveCaptureChecks})
     */
    public static InterfaceCaptureInput open(String iface, LiveCaptureOptions options, MetricGroup sftapGroup)
            throws IOException {
        LiveCaptureChecks.check(iface);
        PcapHandle handle = activate(iface, options, PcapHandle.TimestampPrecision.NANO);
        try {
            if (!options.filter().isEmpty()) {
                handle.setFilter(options.filter(), BpfCompileMode.OPTIMIZE);
            }
            InterfaceCaptureInput in = new InterfaceCaptureInput(iface, handle, options, sftapGroup);
            LOG.info("capturing on {} (link type {}, {}), libpcap {}", iface, in.linkType, options, pcapVersion());
            return in;
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new IOException("cannot set BPF filter '" + options.filter() + "' on " + iface + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    private static PcapHandle activate(String iface, LiveCaptureOptions o, PcapHandle.TimestampPrecision precision)
            throws IOException {
        try {
            return new PcapHandle.Builder(iface)
                    .snaplen(o.snaplen())
                    .promiscuousMode(o.promiscuous() ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(o.readTimeoutMillis())
                    .bufferSize(o.bufferBytes())
                    .immediateMode(o.immediate())
                    .timestampPrecision(precision)
                    .build();
        } catch (PcapNativeException e) {
            if (precision == PcapHandle.TimestampPrecision.NANO && String.valueOf(e.getMessage()).contains("recision")) {
                return activate(iface, o, PcapHandle.TimestampPrecision.MICRO);
            }
            throw new IOException("cannot capture on " + iface + ": " + e.getMessage(), e);
        }
    }

    private static String pcapVersion() {
        try {
            return org.pcap4j.core.Pcaps.libVersion();
        } catch (RuntimeException | LinkageError e) {
            return "(unknown version)";
        }
    }

    @Override
    public int read(CaptureRecord record, boolean mayWait) throws IOException {
        byte[] frame;
        try {
            if (mayWait) {
                // About to wait, maybe for long (an idle TPACKET_V3 ring): publish fresh counters first.
                pollStats(framesSinceStats > 0 || System.nanoTime() - nextStatsPoll >= 0);
            }
            setBlocking(mayWait);
            frame = handle.getNextRawPacketEx();
        } catch (TimeoutException | EOFException e) {
            return IDLE; // nothing ready, read timeout, or woken by pcap_breakloop
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("capture on " + iface + " failed: " + e.getMessage(), e);
        }
        framesSinceStats++;
        Timestamp ts = handle.getTimestamp();
        record.timestampNanos = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
        record.linkType = linkType;
        record.data = frame;
        record.offset = 0;
        record.length = frame.length;
        Integer original = handle.getOriginalLength();
        record.originalLength = original == null ? frame.length : original;
        record.interfaceId = 0;
        return FRAME;
    }

    /**
     * Blocking reads wait for traffic; non-blocking ones return at once (pcap_next_ex gives 0).
     * libpcap's mmap capture only flips a flag here, so switching per batch costs nothing.
     */
    private void setBlocking(boolean blocking) throws PcapNativeException, NotOpenException {
        if (blocking != this.blocking) {
            handle.setBlockingMode(blocking ? BlockingMode.BLOCKING : BlockingMode.NONBLOCKING);
            this.blocking = blocking;
        }
    }

    private void pollStats(boolean due) {
        if (!due) {
            return;
        }
        long now = System.nanoTime();
        nextStatsPoll = now + STATS_INTERVAL_NANOS;
        framesSinceStats = 0;
        try {
            PcapStat s = handle.getStats();
            String warning = loss.observe(now, s.getNumPacketsReceived(), s.getNumPacketsDropped(),
                    s.getNumPacketsDroppedByIf());
            if (warning != null) {
                LOG.warn(warning);
            }
        } catch (PcapNativeException | NotOpenException e) {
            LOG.debug("cannot read capture statistics of {}: {}", iface, e.getMessage());
        }
    }

    /** Loss counters as of the last poll (polled once more when the input closes). */
    public CaptureLossMonitor loss() {
        return loss;
    }

    public int linkType() {
        return linkType;
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public long maxBatchDelayNanos() {
        return maxBatchDelayNanos;
    }

    @Override
    public void wakeUp() {
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // Closing already: the read returns by itself.
        }
    }

    @Override
    public void close() {
        if (handle.isOpen()) {
            pollStats(true);
            LOG.info("closing capture on {}: {} received, {} dropped by the kernel, {} by the interface",
                    iface, loss.received(), loss.kernelDrops(), loss.ifDrops());
            handle.close();
        }
    }
}
