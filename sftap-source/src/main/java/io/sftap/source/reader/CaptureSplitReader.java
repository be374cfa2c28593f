package io.sftap.source.reader;

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
 * input position after it, which the emitter stores in the split state. A fetch returns when the
 * batch is full, when the split ends, when a live input has nothing more ready, or when a live
 * batch has gathered for {@link CaptureInput#maxBatchDelayNanos()}. Only a read into an empty batch
 * may wait for traffic, so frames in hand are never held back by a quiet network; {@link #wakeUp()}
 * makes a waiting read return, so cancel and stop-with-savepoint never wait on the network.
 */
@Internal
public final class CaptureSplitReader implements SplitReader<DecodedFrame, CaptureSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureSplitReader.class);

    private final int framesPerBatch;
    private final CaptureInputFactory inputs;
    private final ArrayDeque<CaptureSplit> queued = new ArrayDeque<>();
    private final FrameDecoder decoder = new FrameDecoder();
    private final CaptureRecord record = new CaptureRecord();
    private final BitSet reportedLinkTypes = new BitSet();
    /** Decode target; replaced only when a frame decodes, so dropped frames allocate nothing. */
    private Packet scratch = new Packet();
    private CaptureSplit current;
    /** Written by the fetcher thread, read by {@link #wakeUp()} from others. */
    private volatile CaptureInput input;

    public CaptureSplitReader(int framesPerBatch) {
        this(framesPerBatch, CaptureInputFactory.FILES_ONLY);
    }

    public CaptureSplitReader(int framesPerBatch, CaptureInputFactory inputs) {
        if (framesPerBatch < 1) {
            throw new IllegalArgumentException("framesPerBatch must be at least 1, got " + framesPerBatch);
        }
        this.framesPerBatch = framesPerBatch;
        this.inputs = inputs;
    }

    @Override
    public RecordsWithSplitIds<DecodedFrame> fetch() throws IOException {
        CaptureInput in = input;
        if (in == null) {
            CaptureSplit next = queued.poll();
            if (next == null) {
                return DecodedFrameBatch.empty();
            }
            in = open(next);
        }
        DecodedFrameBatch batch = new DecodedFrameBatch(current.splitId(), framesPerBatch + 1);
        long maxDelay = in.maxBatchDelayNanos();
        long firstFrameAt = 0;
        while (!batch.isFull()) {
            switch (in.read(record, batch.size() == 0)) {
                case CaptureInput.FRAME:
                    addFrame(batch, in);
                    break;
                case CaptureInput.MALFORMED:
                    batch.addMalformedRecord(in.position());
                    break;
                case CaptureInput.IDLE:
                    return batch;
                default:
                    LOG.info("finished reading {}", current);
                    batch.finishSplit();
                    closeCurrent();
                    return batch;
            }
            if (maxDelay != Long.MAX_VALUE) {
                long now = System.nanoTime();
                if (batch.size() == 1) {
                    firstFrameAt = now;
                } else if (now - firstFrameAt > maxDelay) {
                    return batch;
                }
            }
        }
        return batch;
    }

    private void addFrame(DecodedFrameBatch batch, CaptureInput in) {
        DropReason drop = decoder.decode(record.linkType, record.data, record.offset, record.length,
                record.timestampNanos, scratch);
        Packet packet = null;
        if (drop == null) {
            packet = scratch;
            scratch = new Packet();
        } else if (drop == DropReason.UNSUPPORTED_LINK_TYPE) {
            reportLinkType(record.linkType);
        }
        batch.addFrame(packet, drop, record.length, in.position());
    }

    private CaptureInput open(CaptureSplit split) throws IOException {
        CaptureInput in = inputs.open(split);
        LOG.info("reading {}", split);
        current = split;
        input = in;
        return in;
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
        CaptureInput in = input;
        if (in != null) {
            in.wakeUp();
        }
    }

    @Override
    public void close() throws Exception {
        closeCurrent();
    }

    private void closeCurrent() throws IOException {
        CaptureInput in = input;
        if (in != null) {
            input = null;
            current = null;
            in.close();
        }
    }
}
