package io.sftap.source.reader;

import io.sftap.source.split.CaptureSplit;
import io.sftap.source.split.CaptureSplitState;
import io.sftap.source.wire.Packet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SourceReaderBase;

/**
 * The capture source's reader: fetcher threads run {@link CaptureSplitReader}s (one thread for all
 * files, one per live split, see {@link CaptureFetcherManager}), the task thread emits through
 * {@link PacketRecordEmitter}. Asks the enumerator for a split when it starts empty and after each
 * finished split.
 */
@Internal
public final class PacketSourceReader
        extends SourceReaderBase<DecodedFrame, Packet, CaptureSplit, CaptureSplitState> {
    /** Ids of the file splits assigned and not finished (task thread only). */
    private final Set<String> fileSplits = new HashSet<>();

    public PacketSourceReader(SourceReaderContext context, int framesPerBatch) {
        this(context, framesPerBatch, new CaptureSourceMetrics(context.metricGroup()));
    }

    private PacketSourceReader(SourceReaderContext context, int framesPerBatch, CaptureSourceMetrics metrics) {
        super(
                new CaptureFetcherManager(
                        () -> new CaptureSplitReader(framesPerBatch, new CaptureInputs(metrics.group())),
                        context.getConfiguration()),
                new PacketRecordEmitter(metrics),
                context.getConfiguration(),
                context);
    }

    @Override
    public void start() {
        // Restored splits arrive before start(); ask only when no file is being read (a live split
        // never finishes, so a reader holding only live splits must still ask for files).
        if (fileSplits.isEmpty()) {
            context.sendSplitRequest();
        }
    }

    @Override
    public void addSplits(List<CaptureSplit> splits) {
        for (CaptureSplit split : splits) {
            if (!split.kind().isLive()) {
                fileSplits.add(split.splitId());
            }
        }
        super.addSplits(splits);
    }

    @Override
    protected void onSplitFinished(Map<String, CaptureSplitState> finishedSplitIds) {
        fileSplits.removeAll(finishedSplitIds.keySet());
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
