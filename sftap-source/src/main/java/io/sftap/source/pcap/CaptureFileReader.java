package io.sftap.source.pcap;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads the records of one capture file in order.
 *
 * <p>A malformed or truncated record does not throw: it ends the file, and {@link
 * #malformedRecords()} counts it, because one bad record in a long capture must not fail a job.
 */
public interface CaptureFileReader extends Closeable {
    /**
     * Reads the next record into {@code record}.
     *
     * @return false at the end of the file or at a malformed record
     */
    boolean next(CaptureRecord record) throws IOException;

    /**
     * The position of the next record: an opaque offset that {@link #seek} accepts to resume right
     * there. 0 always means the beginning of the file.
     */
    long position();

    /** Continues reading at a position returned by {@link #position()} (or 0 for the beginning). */
    void seek(long position) throws IOException;

    /** Malformed records met so far (each one ended the file). */
    long malformedRecords();
}
