package io.sftap.source.reader;

import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.Packet;
import java.util.Collections;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

/**
 * One fetch of a {@link CaptureSplitReader}: decoded frames of one split in file order, held in
 * parallel arrays and read through a single reused {@link DecodedFrame} cursor.
 */
@Internal
final class DecodedFrameBatch implements RecordsWithSplitIds<DecodedFrame> {
    private final String splitId;
    private final Packet[] packets;
    private final DropReason[] drops;
    private final boolean[] frames;
    private final int[] lengths;
    private final long[] nextPositions;
    private final DecodedFrame cursor = new DecodedFrame();
    private int size;
    private int next;
    private boolean splitHanded;
    private boolean finished;

    DecodedFrameBatch(String splitId, int capacity) {
        this.splitId = splitId;
        this.packets = new Packet[capacity];
        this.drops = new DropReason[capacity];
        this.frames = new boolean[capacity];
        this.lengths = new int[capacity];
        this.nextPositions = new long[capacity];
    }

    /** A batch with no records and no finished split (nothing to read right now). */
    static DecodedFrameBatch empty() {
        DecodedFrameBatch batch = new DecodedFrameBatch(null, 0);
        batch.splitHanded = true;
        return batch;
    }

    void addFrame(@Nullable Packet packet, @Nullable DropReason drop, int capturedLength, long nextPosition) {
        add(packet, drop, true, capturedLength, nextPosition);
    }

    void addMalformedRecord(long position) {
        add(null, DropReason.MALFORMED_CAPTURE_RECORD, false, 0, position);
    }

    private void add(Packet packet, DropReason drop, boolean frame, int length, long nextPosition) {
        packets[size] = packet;
        drops[size] = drop;
        frames[size] = frame;
        lengths[size] = length;
        nextPositions[size] = nextPosition;
        size++;
    }

    boolean isFull() {
        return size >= packets.length - 1; // one slot stays free for a malformed-record marker
    }

    int size() {
        return size;
    }

    /** Marks the split as fully read once these records are emitted. */
    void finishSplit() {
        finished = true;
    }

    @Nullable
    @Override
    public String nextSplit() {
        if (splitHanded || size == 0) {
            splitHanded = true;
            return null;
        }
        splitHanded = true;
        return splitId;
    }

    @Nullable
    @Override
    public DecodedFrame nextRecordFromSplit() {
        if (next == size) {
            return null;
        }
        cursor.packet = packets[next];
        cursor.dropReason = drops[next];
        cursor.isFrame = frames[next];
        cursor.capturedLength = lengths[next];
        cursor.nextPosition = nextPositions[next];
        packets[next] = null;
        next++;
        return cursor;
    }

    @Override
    public Set<String> finishedSplits() {
        return finished ? Collections.singleton(splitId) : Collections.emptySet();
    }
}
