package io.sftap.job.reassembly;

import io.sftap.source.wire.Direction;

/** Receives a TCP connection's reassembled bytes, in order, per direction. */
public interface StreamListener {
    /**
     * Called with the next in-order bytes sent by {@code from}. The array is owned by the
     * listener from then on. {@code timestampNanos} is the capture time of the segment that made
     * these bytes deliverable.
     */
    void onData(Direction from, byte[] bytes, long timestampNanos);

    /**
     * Called when {@code length} bytes sent by {@code from} will never be delivered (a hole the
     * receiver acknowledged, i.e. the capture missed them). Delivery continues after the hole.
     */
    default void onGap(Direction from, long length) {}
}
