package io.sftap.job.reassembly;

/**
 * Bytes of one direction waiting in a {@link SegmentQueue}: {@code data} starts at {@code start}.
 */
record QueuedSegment(Sequence start, byte[] data) {

    /** Sequence number just after the last byte. */
    Sequence end() {
        return start.add(data.length);
    }
}
