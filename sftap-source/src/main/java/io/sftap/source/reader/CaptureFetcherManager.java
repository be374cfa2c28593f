package io.sftap.source.reader;

import io.sftap.source.split.CaptureSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherManager;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

/**
 * Runs capture files one after another on one shared fetcher thread, and each live split
 * (interface, injection socket) on a fetcher thread of its own, because a live split never ends and
 * its reads wait on the network.
 */
@Internal
final class CaptureFetcherManager extends SplitFetcherManager<DecodedFrame, CaptureSplit> {
    /** The fetcher of file splits, or null when none is running. */
    private SplitFetcher<DecodedFrame, CaptureSplit> fileFetcher;

    CaptureFetcherManager(Supplier<SplitReader<DecodedFrame, CaptureSplit>> readers, Configuration config) {
        super(readers, config);
    }

    @Override
    public void addSplits(List<CaptureSplit> splits) {
        List<CaptureSplit> files = new ArrayList<>();
        for (CaptureSplit split : splits) {
            if (split.kind().isLive()) {
                SplitFetcher<DecodedFrame, CaptureSplit> fetcher = createSplitFetcher();
                fetcher.addSplits(List.of(split));
                startFetcher(fetcher);
            } else {
                files.add(split);
            }
        }
        if (files.isEmpty()) {
            return;
        }
        if (fileFetcher == null || !fetchers.containsValue(fileFetcher)) {
            fileFetcher = createSplitFetcher();
            fileFetcher.addSplits(files);
            startFetcher(fileFetcher);
        } else {
            fileFetcher.addSplits(files);
        }
    }

    @Override
    public void removeSplits(List<CaptureSplit> splits) {
        throw new UnsupportedOperationException("capture splits are never removed");
    }
}
