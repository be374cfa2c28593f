package io.sftap.job.loopback;

import io.sftap.source.wire.Packet;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The L7 loopback input (FLIP-27): serves the {@code loopback7} UNIX socket where analyzers write
 * decapsulated flows back; each event becomes a stream-event {@link Packet} (hop + 1) for the flow
 * abstractor. Run it with parallelism 1 and {@link #watermarks()}.
 *
 * <pre>{@code
 * LoopbackSource loopback = LoopbackSource.builder()
 *         .setSocket(home.resolve("loopback7")).setBinary(false)
 *         .setEndAfterCapture(Duration.ofSeconds(3))   // a replay: end when analyzers are done
 *         .build();
 * env.fromSource(loopback, LoopbackSource.watermarks(), "loopback").setParallelism(1);
 * }</pre>
 */
public final class LoopbackSource
        implements Source<Packet, LoopbackSplit, LoopbackEnumState>, ResultTypeQueryable<Packet> {
    private static final long serialVersionUID = 1L;

    private final String socketPath;
    private final boolean binary;
    /** UNIX group of the socket; null: the process's. Not part of the split (savepoints). */
    private final String group;
    private final String captureEndToken;
    private final Duration linger;

    LoopbackSource(String socketPath, boolean binary, String group, String captureEndToken, Duration linger) {
        this.socketPath = socketPath;
        this.binary = binary;
        this.group = group;
        this.captureEndToken = captureEndToken;
        this.linger = linger;
    }

    public static LoopbackSourceBuilder builder() {
        return new LoopbackSourceBuilder();
    }

    /**
     * Watermarks that never hold event time back: the keyed operator's event time is the minimum
     * over its inputs, and re-injected flows follow the capture's clock anyway, so the loopback
     * declares "no earlier events from me" ({@link Long#MAX_VALUE}) and lets the capture drive
     * timeouts. Records still carry their own timestamps.
     */
    public static WatermarkStrategy<Packet> watermarks() {
        WatermarkStrategy<Packet> s = ctx -> new NeverHoldingBack();
        return s.withTimestampAssigner((p, recordTs) -> p.timestampNanos / 1_000_000L);
    }

    /** The token its {@link CaptureEndMarker}s report to, or null for a live (endless) loopback. */
    public String captureEndToken() {
        return captureEndToken;
    }

    public String socketPath() {
        return socketPath;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<Packet, LoopbackSplit> createReader(SourceReaderContext context) {
        return new LoopbackSourceReader(captureEndToken, linger, group, context.metricGroup());
    }

    @Override
    public SplitEnumerator<LoopbackSplit, LoopbackEnumState> createEnumerator(
            SplitEnumeratorContext<LoopbackSplit> context) {
        return new LoopbackEnumerator(context, new LoopbackSplit(socketPath, binary), false);
    }

    @Override
    public SplitEnumerator<LoopbackSplit, LoopbackEnumState> restoreEnumerator(
            SplitEnumeratorContext<LoopbackSplit> context, LoopbackEnumState state) {
        return new LoopbackEnumerator(context, new LoopbackSplit(socketPath, binary), state.assigned);
    }

    @Override
    public SimpleVersionedSerializer<LoopbackSplit> getSplitSerializer() {
        return new LoopbackSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<LoopbackEnumState> getEnumeratorCheckpointSerializer() {
        return new LoopbackEnumStateSerializer();
    }

    @Override
    public TypeInformation<Packet> getProducedType() {
        return TypeInformation.of(Packet.class);
    }

    /** Emits {@link Long#MAX_VALUE} on every periodic tick. */
    private static final class NeverHoldingBack implements WatermarkGenerator<Packet> {
        @Override
        public void onEvent(Packet event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
        }
    }
}
