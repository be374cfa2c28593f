package io.sftap.job.time;

import io.sftap.source.wire.Packet;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Event time of a live capture: the packets' capture time while they flow, and real time on top of
 * the last packet's time while the network is quiet, so idle flows still time out.
 *
 * <p>Packet time alone would freeze on a silent link with flows open; wall-clock time alone would
 * expire everything at once for old captures injected through the {@code pcap} socket. This uses
 * packet time, and after {@code quietAfter} of real silence lets event time run on at the speed of
 * real time from where the packets left it. Never goes back.
 */
public final class CaptureWatermarks implements WatermarkGenerator<Packet> {
    private final long outOfOrderMillis;
    private final long quietAfterMillis;
    private final LongSupplier clock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastArrival;
    private long emitted = Long.MIN_VALUE;

    public CaptureWatermarks(Duration outOfOrder, Duration quietAfter, LongSupplier wallClockMillis) {
        this.outOfOrderMillis = outOfOrder.toMillis();
        this.quietAfterMillis = quietAfter.toMillis();
        this.clock = wallClockMillis;
    }

    @Override
    public void onEvent(Packet packet, long timestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        lastArrival = clock.getAsLong();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxTimestamp == Long.MIN_VALUE) {
            return;
        }
        long watermark = maxTimestamp - outOfOrderMillis - 1;
        long quiet = clock.getAsLong() - lastArrival;
        if (quiet > quietAfterMillis) {
            watermark = Math.max(watermark, maxTimestamp + quiet - quietAfterMillis);
        }
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
