package io.sftap.job.reassembly;

import io.sftap.source.wire.Direction;

/** Reassembles the byte streams of TCP connections (pure algorithm; no Flink). */
public final class TcpReassembler {
    private final ReassemblyLimits limits;

    public TcpReassembler(ReassemblyLimits limits) {
        this.limits = limits;
    }

    /**
     * Feeds one segment sent by {@code from}; delivers newly in-order bytes to {@code listener}.
     */
    public TcpStatus accept(
            TcpConnection conn,
            Direction from,
            int seq,
            int ack,
            int flags,
            byte[] payload,
            long timestampNanos,
            StreamListener listener) {
        throw new UnsupportedOperationException("to be implemented");
    }

    /** Ends the connection (timeout or end of input): delivers what tshark would still show. */
    public void finish(TcpConnection conn, long timestampNanos, StreamListener listener) {
        throw new UnsupportedOperationException("to be implemented");
    }
}
