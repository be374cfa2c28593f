package io.sftap.source.reader;

import io.sftap.source.pcap.CaptureFileReader;
import io.sftap.source.pcap.CaptureFiles;
import io.sftap.source.pcap.CaptureRecord;
import io.sftap.source.split.CaptureSplit;
import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.FrameDecoder;
import io.sftap.source.wire.Packet;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.BitSet;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads capture splits one after another in the fetcher thread and decodes their frames, a batch
 * of at most {@code framesPerBatch} frames per {@link #fetch()}.
 *
 * <p>Decoding here keeps the task thread free for the pipeline. Each batch records, per frame, the
 * file position after it, which the emitter stores in the split state.
 */
@Internal
public final class CaptureSplitReader implements SplitReader<DecodedFrame, CaptureSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureSplitReader.class);

    private final int framesPerBatch;
    private final ArrayDeque<CaptureSplit> queued = new ArrayDeque<>();
    private final FrameDecoder decoder = new FrameDecoder();
    private final CaptureRecord record = new CaptureRecord();
    private final BitSet reportedLinkTypes = new BitSet();
    /** Decode target; replaced only when a frame decodes, so dropped frames allocate nothing. */
    private Packet scratch = new Packet();
    private CaptureSplit current;
    private CaptureFileReader file;

    public CaptureSplitReader(int framesPerBatch) {
        if (framesPerBatch < 1) {
            throw new IllegalArgumentException("framesPerBatch must be at least 1, got " + framesPerBatch);
        }
        this.framesPerBatch = framesPerBatch;
    }

    @Override
    public RecordsWithSplitIds<DecodedFrame> fetch() throws IOException {
        if (file == null) {
            CaptureSplit next = queued.poll();
            if (next == null) {
                return DecodedFrameBatch.empty();
            }
            open(next);
        }
        DecodedFrameBatch batch = new DecodedFrameBatch(current.splitId(), framesPerBatch + 1);
        long malformedBefore = file.malformedRecords();
        while (!batch.isFull()) {
            if (!file.next(record)) {
                if (file.malformedRecords() > malformedBefore) {
                    batch.addMalformedRecord(file.position());
                }
                LOG.info("finished reading {}", current);
                batch.finishSplit();
                closeCurrent();
                return batch;
            }
            DropReason drop = decoder.decode(record.linkType, record.data, record.offset, record.length,
                    record.timestampNanos, scratch);
            Packet packet = null;
            if (drop == null) {
                packet = scratch;
                scratch = new Packet();
            } else if (drop == DropReason.UNSUPPORTED_LINK_TYPE) {
                reportLinkType(record.linkType);
            }
            batch.addFrame(packet, drop, record.length, file.position());
        }
        return batch;
    }

    private void open(CaptureSplit split) throws IOException {
        CaptureFileReader reader = CaptureFiles.open(split.path());
        try {
            if (split.startingPosition() != 0) {
                reader.seek(split.startingPosition());
            }
        } catch (IOException e) {
            reader.close();
            throw e;
        }
        LOG.info("reading {}", split);
        current = split;
        file = reader;
    }

    private void reportLinkType(int linkType) {
        if (linkType >= 0 && !reportedLinkTypes.get(linkType)) {
            reportedLinkTypes.set(linkType);
            LOG.warn("{} holds frames of link type {}, which sftap does not decode; they are counted as drop.{}",
                    current.location(), linkType, DropReason.UNSUPPORTED_LINK_TYPE.metricName());
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<CaptureSplit> change) {
        if (change instanceof SplitsAddition) {
            queued.addAll(change.splits());
        }
    }

    @Override
    public void wakeUp() {
        // fetch() never blocks: it returns after one bounded batch.
    }

    @Override
    public void close() throws Exception {
        closeCurrent();
    }

    private void closeCurrent() throws IOException {
        if (file != null) {
            CaptureFileReader f = file;
            file = null;
            current = null;
            f.close();
        }
    }
}
