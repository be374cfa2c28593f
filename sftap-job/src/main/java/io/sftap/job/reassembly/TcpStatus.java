package io.sftap.job.reassembly;

/** State of a TCP connection after a segment, as the flow abstractor needs it. */
public enum TcpStatus {
    /** Still open (or half-closed). */
    OPEN,
    /** Both sides sent FIN and all data up to the FINs was delivered. */
    CLOSED,
    /** A RST was accepted. */
    RESET,
    /** The out-of-order limit of a direction was exceeded; the connection cannot be followed. */
    COMPROMISED,
    /**
     * The segment is a SYN that starts a new connection on the same 4-tuple (port reuse); it was
     * not consumed. The caller ends this connection and feeds the segment to a fresh one.
     */
    REUSED
}
