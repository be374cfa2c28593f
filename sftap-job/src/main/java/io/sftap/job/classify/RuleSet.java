package io.sftap.job.classify;

import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import java.util.List;

/** Compiled classification rules in priority order (pure; no Flink). */
public final class RuleSet {

    /** Every interface the rules name (for creating sockets up front). */
    public List<InterfaceSpec> interfaces() {
        throw new UnsupportedOperationException("to be implemented");
    }

    /**
     * Classifies a TCP flow from the first bytes of each direction (either may be empty). Never
     * null: falls back to {@code tcp_default}, or to a built-in default interface when the file has
     * none.
     */
    public Classification classifyTcp(FlowKey key, byte[] fromEndpoint1, byte[] fromEndpoint2) {
        throw new UnsupportedOperationException("to be implemented");
    }

    /** Classifies one UDP datagram sent by {@code from}. Never null. */
    public Classification classifyUdp(FlowKey key, Direction from, byte[] datagram) {
        throw new UnsupportedOperationException("to be implemented");
    }

    /** The interface of ICMP (or ICMPv6) flows. Never null. */
    public Classification classifyIcmp(FlowKey key) {
        throw new UnsupportedOperationException("to be implemented");
    }
}
