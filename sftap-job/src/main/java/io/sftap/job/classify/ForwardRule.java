package io.sftap.job.classify;

import io.sftap.source.wire.IpProtocols;
import java.io.Serializable;
import java.util.List;

/**
 * A forwarding rule for the replicator (the {@code forward} section): datagrams of {@link #proto}
 * to one of {@link #ports}, from one of {@link #sources} (empty: from anywhere), are copied to
 * every destination.
 */
public final class ForwardRule implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Entry name under {@code forward}. */
    public final String name;
    /** IP protocol number; only UDP is supported. */
    public final byte proto;
    /** Destination ports the rule applies to ({@link PortSet#ANY}: every port). */
    public final PortSet ports;
    /** Source prefixes the rule applies to (empty: any source). */
    public final List<IpPrefix> sources;
    public final List<ForwardDestination> destinations;

    public ForwardRule(String name, byte proto, PortSet ports, List<IpPrefix> sources, List<ForwardDestination> destinations) {
        this.name = name;
        this.proto = proto;
        this.ports = ports;
        this.sources = List.copyOf(sources);
        this.destinations = List.copyOf(destinations);
    }

    /** True when a datagram (protocol, source address, destination port) is to be copied by this rule. */
    public boolean matches(byte protocol, byte[] srcAddr, int dstPort) {
        if (protocol != proto || !(ports.isAny() || ports.contains(dstPort))) {
            return false;
        }
        if (sources.isEmpty()) {
            return true;
        }
        for (IpPrefix p : sources) {
            if (p.contains(srcAddr)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name + " (" + IpProtocols.name(proto) + " port " + ports + (sources.isEmpty() ? "" : " from " + sources) + " -> " + destinations + ")";
    }
}
