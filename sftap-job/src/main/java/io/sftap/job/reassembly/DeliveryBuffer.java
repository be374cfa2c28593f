package io.sftap.job.reassembly;

import io.sftap.source.wire.Direction;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the contiguous bytes one segment makes deliverable in one direction and hands them to
 * the {@link StreamListener} as one {@code onData} call (split only by gaps).
 */
final class DeliveryBuffer {
    private final Direction from;
    private final StreamListener listener;
    private final long timestampNanos;
    private final List<byte[]> pending = new ArrayList<>(2);
    private int pendingBytes;

    DeliveryBuffer(Direction from, StreamListener listener, long timestampNanos) {
        this.from = from;
        this.listener = listener;
        this.timestampNanos = timestampNanos;
    }

    /** Next in-order bytes; the buffer takes ownership of {@code bytes}. */
    void data(byte[] bytes) {
        if (bytes.length > 0) {
            pending.add(bytes);
            pendingBytes += bytes.length;
        }
    }

    /** A hole of {@code length} bytes follows the data so far. */
    void gap(long length) {
        flush();
        listener.onGap(from, length);
    }

    /** Hands the collected bytes to the listener. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        byte[] out;
        if (pending.size() == 1) {
            out = pending.get(0);
        } else {
            out = new byte[pendingBytes];
            int at = 0;
            for (byte[] piece : pending) {
                System.arraycopy(piece, 0, out, at, piece.length);
                at += piece.length;
            }
        }
        pending.clear();
        pendingBytes = 0;
        listener.onData(from, out, timestampNanos);
    }
}
