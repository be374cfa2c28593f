package io.sftap.source.reader;

import io.sftap.source.pcap.CaptureRecord;
import java.io.Closeable;
import java.io.IOException;
import org.apache.flink.annotation.Internal;

/**
 * Where a {@link CaptureSplitReader} gets the frames of one split: a capture file, a live interface
 * or the injection socket. Used by the fetcher thread only, except {@link #wakeUp()}.
 */
@Internal
public interface CaptureInput extends Closeable {
    /** {@link #read} filled the record with a frame. */
    int FRAME = 0;
    /** {@link #read} skipped a malformed record or stream (count it, then read on). */
    int MALFORMED = 1;
    /** {@link #read} found nothing to read right now (timeout or wake-up): hand out what was read. */
    int IDLE = 2;
    /** {@link #read} reached the end: the split is finished. Live inputs never end. */
    int END = 3;

    /**
     * Reads the next frame into {@code record}.
     *
     * @param mayWait true when the caller has nothing in hand, so the read may wait for traffic
     *     (until the read timeout or {@link #wakeUp()}); false when frames already read wait to be
     *     handed on, so the read must return {@link #IDLE} at once when nothing is ready
     * @return {@link #FRAME}, {@link #MALFORMED}, {@link #IDLE} or {@link #END}
     */
    int read(CaptureRecord record, boolean mayWait) throws IOException;

    /** The split position after the last frame read (what a checkpoint resumes from; 0 for live inputs). */
    long position();

    /**
     * The longest time, in nanoseconds, a batch may gather frames after its first one, so a steady
     * trickle of live packets is not held back until a batch fills.
     */
    long maxBatchDelayNanos();

    /** Makes a blocked or later {@link #read} return {@link #IDLE} soon; callable from any thread. */
    void wakeUp();
}
