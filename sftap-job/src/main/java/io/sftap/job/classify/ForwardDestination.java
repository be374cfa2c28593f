package io.sftap.job.classify;

import java.io.Serializable;

/** One collector a forwarding rule sends copies to. */
public final class ForwardDestination implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How the copy's source address is chosen. */
    public enum SourceMode {
        /** Keep the original sender's address and port (needs raw sockets / CAP_NET_RAW). */
        PRESERVE,
        /** Send from the replicator's own address (an ordinary UDP socket). */
        RELAY
    }

    /** Collector address, 4 or 16 bytes. */
    public final byte[] address;
    /** The address as written in the file. */
    public final String addressText;
    /** Destination port; 0 keeps the original destination port. */
    public final int port;
    public final SourceMode source;

    public ForwardDestination(byte[] address, String addressText, int port, SourceMode source) {
        this.address = address;
        this.addressText = addressText;
        this.port = port;
        this.source = source;
    }

    /** The port to send a copy to, given the original datagram's destination port. */
    public int portFor(int originalDstPort) {
        return port != 0 ? port : originalDstPort;
    }

    @Override
    public String toString() {
        return addressText + ":" + (port == 0 ? "(same)" : port) + " " + source.name().toLowerCase(java.util.Locale.ROOT);
    }
}
