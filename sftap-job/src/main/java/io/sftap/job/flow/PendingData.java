package io.sftap.job.flow;

import io.sftap.source.wire.Direction;

/** Reassembled bytes held back until their flow is classified. */
final class PendingData {
    final Direction from;
    final long timestampNanos;
    final byte[] bytes;

    PendingData(Direction from, long timestampNanos, byte[] bytes) {
        this.from = from;
        this.timestampNanos = timestampNanos;
        this.bytes = bytes;
    }
}
