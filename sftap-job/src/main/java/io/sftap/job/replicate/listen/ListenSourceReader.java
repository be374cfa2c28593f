package io.sftap.job.replicate.listen;

import io.sftap.source.wire.Packet;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/** The listen source's reader: one fetcher thread runs a {@link ListenSplitReader} over all its endpoints. */
final class ListenSourceReader extends SingleThreadMultiplexSourceReaderBase<Packet, Packet, ListenSplit, ListenSplit> {

    ListenSourceReader(SourceReaderContext context, int batchSize) {
        super(() -> {
                    try {
                        return new ListenSplitReader(batchSize, new ListenMetrics(context.metricGroup()));
                    } catch (java.io.IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                (packet, output, split) -> output.collect(packet, packet.timestampNanos / 1_000_000L),
                context.getConfiguration(),
                context);
    }

    @Override
    public void start() {}

    @Override
    protected void onSplitFinished(Map<String, ListenSplit> finishedSplitIds) {}

    @Override
    protected ListenSplit initializedState(ListenSplit split) {
        return split;
    }

    @Override
    protected ListenSplit toSplitType(String splitId, ListenSplit state) {
        return state;
    }
}
