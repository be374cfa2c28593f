package io.sftap.job.reassembly;

/**
 * Reassembly state of one TCP connection: both directions. Mutable; kept in keyed state through
 * {@link TcpConnectionCodec}.
 */
public final class TcpConnection {
    // Filled in by the reassembly implementation.
}
