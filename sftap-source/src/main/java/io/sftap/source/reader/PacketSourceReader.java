package io.sftap.source.reader;

import io.sftap.source.split.CaptureSplit;
import io.sftap.source.split.CaptureSplitState;
import io.sftap.source.wire.Packet;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/**
 * The capture source's reader: one fetcher thread runs a {@link CaptureSplitReader}, the task thread
 * emits through {@link PacketRecordEmitter}. Asks the enumerator for a split when it starts empty
 * and after each finished split.
 */
@Internal
public final class PacketSourceReader
        extends SingleThreadMultiplexSourceReaderBase<DecodedFrame, Packet, CaptureSplit, CaptureSplitState> {

    public PacketSourceReader(SourceReaderContext context, int framesPerBatch) {
        super(
                () -> new CaptureSplitReader(framesPerBatch),
                new PacketRecordEmitter(new CaptureSourceMetrics(context.metricGroup())),
                context.getConfiguration(),
                context);
    }

    @Override
    public void start() {
        // Restored splits arrive before start(); ask only when there is nothing to read.
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, CaptureSplitState> finishedSplitIds) {
        context.sendSplitRequest();
    }

    @Override
    protected CaptureSplitState initializedState(CaptureSplit split) {
        return new CaptureSplitState(split);
    }

    @Override
    protected CaptureSplit toSplitType(String splitId, CaptureSplitState state) {
        return state.toSplit();
    }
}
