package io.sftap.source.reader;

import io.sftap.source.wire.DropReason;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The capture source's counters, under group {@code sftap} of the reader's metric group:
 * {@code frames}, {@code packets} (decoded, fragments included), {@code bytes} (captured bytes of all
 * frames), {@code truncated} (TCP segments the snaplen cut short, passed on with their length on the
 * wire; other cut frames are {@code drop.truncated_capture}) and {@code drop.<reason>} for every {@link DropReason}. Live interfaces add their libpcap
 * statistics as gauges {@code live.<iface>.received}, {@code .kernel_drops}, {@code .if_drops}.
 */
@Internal
public final class CaptureSourceMetrics {
    public static final String GROUP = "sftap";
    public static final String DROP_GROUP = "drop";
    public static final String FRAMES = "frames";
    public static final String PACKETS = "packets";
    public static final String BYTES = "bytes";
    public static final String TRUNCATED = "truncated";

    private final MetricGroup group;
    private final Counter frames;
    private final Counter packets;
    private final Counter bytes;
    private final Counter truncated;
    /** Indexed by {@link DropReason#ordinal()}. */
    private final Counter[] drops;

    public CaptureSourceMetrics(MetricGroup readerGroup) {
        group = readerGroup.addGroup(GROUP);
        frames = group.counter(FRAMES);
        packets = group.counter(PACKETS);
        bytes = group.counter(BYTES);
        truncated = group.counter(TRUNCATED);
        MetricGroup dropGroup = group.addGroup(DROP_GROUP);
        DropReason[] reasons = DropReason.values();
        drops = new Counter[reasons.length];
        for (DropReason reason : reasons) {
            drops[reason.ordinal()] = dropGroup.counter(reason.metricName());
        }
    }

    /** The {@code sftap} group, where live inputs add their {@code live.<iface>} gauges. */
    public MetricGroup group() {
        return group;
    }

    void record(DecodedFrame frame) {
        if (frame.isFrame) {
            frames.inc();
            bytes.inc(frame.capturedLength);
        }
        if (frame.packet != null) {
            packets.inc();
            if (frame.packet.payloadWireLength >= 0) {
                truncated.inc();
            }
        } else if (frame.dropReason != null) {
            drops[frame.dropReason.ordinal()].inc();
        }
    }
}
