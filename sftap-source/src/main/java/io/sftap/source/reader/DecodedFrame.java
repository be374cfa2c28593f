package io.sftap.source.reader;

import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.Packet;
import org.apache.flink.annotation.Internal;

/**
 * What the fetcher learned from one capture record, as the emitter sees it: the packet or the drop
 * reason, the captured size, and the split position after the record.
 *
 * <p>A {@link DecodedFrameBatch} hands out one reused instance per batch (a cursor), so emitting
 * allocates nothing; read it before asking the batch for the next record.
 */
@Internal
public final class DecodedFrame {
    /** The decoded packet, or null when the frame was dropped. */
    public Packet packet;
    /** Why the frame was dropped, or null. */
    public DropReason dropReason;
    /** False for the marker of a malformed file record (not a frame, nothing captured). */
    public boolean isFrame;
    /** Captured bytes of the frame. */
    public int capturedLength;
    /** Reader position of the record after this one. */
    public long nextPosition;
}
