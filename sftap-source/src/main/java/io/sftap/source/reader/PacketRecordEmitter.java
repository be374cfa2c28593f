package io.sftap.source.reader;

import io.sftap.source.split.CaptureSplitState;
import io.sftap.source.wire.Packet;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Emits decoded packets with their capture time (milliseconds) as the record timestamp, counts
 * every frame, and then advances the split state past the record, so a checkpoint between two
 * records neither loses nor repeats one.
 */
@Internal
public final class PacketRecordEmitter implements RecordEmitter<DecodedFrame, Packet, CaptureSplitState> {
    private final CaptureSourceMetrics metrics;

    public PacketRecordEmitter(CaptureSourceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(DecodedFrame frame, SourceOutput<Packet> output, CaptureSplitState state) {
        metrics.record(frame);
        if (frame.packet != null) {
            output.collect(frame.packet, frame.packet.timestampNanos / 1_000_000);
        }
        state.setPosition(frame.nextPosition);
    }
}
