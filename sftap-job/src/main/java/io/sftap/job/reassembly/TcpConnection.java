package io.sftap.job.reassembly;

import io.sftap.source.wire.Direction;

/**
 * Reassembly state of one TCP connection: both directions. Mutable; kept in keyed state through
 * {@link TcpConnectionCodec}.
 *
 * <p>Compact by design (it is serialized on every packet): an idle direction is a few ints and an
 * empty queue costs nothing.
 */
public final class TcpConnection {
    /** Bytes sent by endpoint 1 (the side {@link Direction#FROM_ENDPOINT1} names). */
    final HalfConnection endpoint1 = new HalfConnection();

    /** Bytes sent by endpoint 2. */
    final HalfConnection endpoint2 = new HalfConnection();

    /** A RST was accepted; every later segment but a new SYN is ignored. Queues are empty. */
    boolean reset;

    /**
     * An out-of-order limit was exceeded; the connection is no longer followed. Queues are empty.
     */
    boolean compromised;

    public TcpConnection() {}

    HalfConnection half(Direction from) {
        switch (from) {
            case FROM_ENDPOINT1:
                return endpoint1;
            case FROM_ENDPOINT2:
                return endpoint2;
            default:
                throw new IllegalArgumentException(
                        "segment direction must be an endpoint: " + from);
        }
    }

    /** The connection's state as of the last segment. */
    /** Both FINs were acknowledged: the close handshake is complete, only strays can follow. */
    public boolean finsAcknowledged() {
        return endpoint1.finAcknowledged() && endpoint2.finAcknowledged();
    }

    public TcpStatus status() {
        if (compromised) {
            return TcpStatus.COMPROMISED;
        }
        if (reset) {
            return TcpStatus.RESET;
        }
        if (endpoint1.closed && endpoint2.closed) {
            return TcpStatus.CLOSED;
        }
        return TcpStatus.OPEN;
    }

    /** Out-of-order bytes queued in both directions (for metrics). */
    public long queuedBytes() {
        return (long) endpoint1.queue.bytes() + endpoint2.queue.bytes();
    }

    /** Out-of-order bytes queued for the bytes sent by {@code from}. */
    public int queuedBytes(Direction from) {
        return half(from).queue.bytes();
    }

    /** Out-of-order segments queued for the bytes sent by {@code from}. */
    public int queuedSegments(Direction from) {
        return half(from).queue.segmentCount();
    }

    /** Whether {@code from} was seen opening its direction with a SYN. */
    public boolean sawSyn(Direction from) {
        return half(from).sawSyn;
    }

    /** Whether {@code from}'s direction is closed: its FIN was reached. */
    public boolean isClosed(Direction from) {
        return half(from).closed;
    }

    /** Whether any segment carried payload, or a FIN or RST ended something. */
    boolean hasHistory() {
        return reset
                || endpoint1.sawData
                || endpoint2.sawData
                || endpoint1.finSeen
                || endpoint2.finSeen;
    }
}
