package io.sftap.job.flow;

import io.sftap.job.reassembly.TcpConnection;
import io.sftap.source.wire.Direction;
import java.util.ArrayList;
import java.util.List;

/**
 * What the flow abstractor keeps for one open TCP flow between packets. Mutable; stored in keyed
 * state through {@link FlowStateCodec}.
 *
 * <p>Invariants: {@code pending} is empty once {@code classified}; {@code pendingBytes1/2} are the
 * byte counts of {@code pending} per sender; the routing fields are set iff {@code classified}.
 */
public final class FlowState {
    /** Capture time of the flow's first packet. */
    long createdNanos;
    /** Capture time of the flow's latest packet (drives the idle timeout). */
    long lastSeenNanos;
    /** Event time of the pending idle-timeout timer, or {@link Long#MIN_VALUE} when none. */
    long timerAt = Long.MIN_VALUE;
    /** Data events seen while unclassified (bounds how long classification may wait). */
    int unclassifiedDataEvents;

    /**
     * The connection ended (FIN/RST); the state lingers as a tombstone so late retransmissions
     * and ACKs do not open a new flow. Only a SYN reopens the 4-tuple.
     */
    boolean closed;
    /**
     * The connection closed with both FINs acknowledged, so only stray retransmissions can follow
     * (until then a cleanly closing tombstone keeps {@link #tcp} to see the last ACK). Not encoded:
     * a decoded tombstone is kept as a durable one.
     */
    boolean closeAcknowledged;

    boolean classified;
    String ruleName;
    String iface;
    String socket;
    boolean binary;
    boolean body;
    Direction upSide = Direction.NONE;

    final List<PendingData> pending = new ArrayList<>();
    int pendingBytes1;
    int pendingBytes2;

    TcpConnection tcp;

    FlowState() {}

    static FlowState open(long timestampNanos) {
        FlowState s = new FlowState();
        s.createdNanos = timestampNanos;
        s.lastSeenNanos = timestampNanos;
        s.tcp = new TcpConnection();
        return s;
    }

    /** Closed by FINs whose last acknowledgement has not been seen yet (the connection is kept for it). */
    boolean awaitingLastAck() {
        return closed && tcp != null;
    }

    /**
     * Whether the flow needs an idle-timeout timer: not an L7-loopback flow (no connection, not
     * closed) and not a tombstone that lives in the state cache only.
     */
    boolean wantsIdleTimer() {
        return !closeAcknowledged && (tcp != null || closed);
    }

    /** Payload bytes this state holds: unclassified data and out-of-order segments. */
    long heldBytes() {
        return (long) pendingBytes1 + pendingBytes2 + (tcp == null ? 0 : tcp.queuedBytes());
    }

    int pendingBytes(Direction from) {
        return from == Direction.FROM_ENDPOINT1 ? pendingBytes1 : pendingBytes2;
    }

    void addPending(PendingData d) {
        pending.add(d);
        if (d.from == Direction.FROM_ENDPOINT1) {
            pendingBytes1 += d.bytes.length;
        } else {
            pendingBytes2 += d.bytes.length;
        }
    }

    void clearPending() {
        pending.clear();
        pendingBytes1 = 0;
        pendingBytes2 = 0;
    }

    /** The first {@code limit} buffered bytes sent by {@code from}. */
    byte[] prefix(Direction from, int limit) {
        int n = Math.min(limit, pendingBytes(from));
        byte[] out = new byte[n];
        int at = 0;
        for (PendingData d : pending) {
            if (d.from != from || at >= n) {
                continue;
            }
            int take = Math.min(d.bytes.length, n - at);
            System.arraycopy(d.bytes, 0, out, at, take);
            at += take;
        }
        return out;
    }
}
