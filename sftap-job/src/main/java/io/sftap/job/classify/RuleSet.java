package io.sftap.job.classify;

import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiled classification rules in priority order (pure; no Flink).
 *
 * <p>Order: ascending {@code nice}; within one nice, regex rules before port-only rules; within
 * those, file order. Then the protocol's default ({@code tcp_default}/{@code udp_default}), or the
 * built-in {@code default} interface when the file has none.
 */
public final class RuleSet {
    /** Name of the built-in fallback rule and interface. */
    public static final String BUILT_IN_DEFAULT = "default";
    /** SF-TAP looks at the first 4096 bytes of each direction. */
    public static final int DEFAULT_CLASSIFY_BYTES = 4096;

    private static final Comparator<Rule> PRIORITY =
            Comparator.<Rule>comparingInt(r -> r.nice).thenComparing(r -> r.isRegex() ? 0 : 1);

    private final List<Rule> tcpRules;
    private final List<Rule> udpRules;
    private final Classification tcpDefault;
    private final Classification udpDefault;
    private final Classification icmp;
    private final Classification icmpv6;
    private final List<InterfaceSpec> interfaces;
    private final int classifyBytes;

    /** A rule set with no rules: everything goes to the built-in default interfaces. */
    public RuleSet() {
        this(List.of(), null, null, null, null, DEFAULT_CLASSIFY_BYTES);
    }

    /**
     * @param rules TCP and UDP rules in file order
     * @param tcpDefault the {@code tcp_default} interface, or null for the built-in one
     * @param udpDefault the {@code udp_default} interface, or null for the built-in one
     * @param icmp the {@code icmp} interface, or null for the built-in one
     * @param icmpv6 the {@code icmpv6} interface, or null for the built-in one
     * @param classifyBytes how many bytes of each direction (or datagram) the patterns see
     */
    public RuleSet(List<Rule> rules, InterfaceSpec tcpDefault, InterfaceSpec udpDefault, InterfaceSpec icmp,
            InterfaceSpec icmpv6, int classifyBytes) {
        List<Rule> tcp = new ArrayList<>();
        List<Rule> udp = new ArrayList<>();
        for (Rule r : rules) {
            (r.proto == Rule.Proto.TCP ? tcp : udp).add(r);
        }
        tcp.sort(PRIORITY); // List.sort is stable: file order survives within a class
        udp.sort(PRIORITY);
        this.tcpRules = Collections.unmodifiableList(tcp);
        this.udpRules = Collections.unmodifiableList(udp);
        this.tcpDefault = fallback("tcp_default", tcpDefault, "tcp");
        this.udpDefault = fallback("udp_default", udpDefault, "udp");
        this.icmp = fallback("icmp", icmp, "icmp");
        this.icmpv6 = fallback("icmpv6", icmpv6, "icmp");
        this.classifyBytes = classifyBytes;

        Set<InterfaceSpec> all = new LinkedHashSet<>();
        tcp.forEach(r -> all.add(r.iface));
        udp.forEach(r -> all.add(r.iface));
        all.add(this.tcpDefault.iface);
        all.add(this.udpDefault.iface);
        all.add(this.icmp.iface);
        all.add(this.icmpv6.iface);
        this.interfaces = List.copyOf(all);
    }

    private static Classification fallback(String ruleName, InterfaceSpec spec, String folder) {
        if (spec != null) {
            return new Classification(ruleName, spec, Direction.NONE, false);
        }
        return new Classification(BUILT_IN_DEFAULT, new InterfaceSpec(BUILT_IN_DEFAULT, folder, false, true, 1), Direction.NONE, false);
    }

    /** Every interface the rules name (for creating sockets up front). */
    public List<InterfaceSpec> interfaces() {
        return interfaces;
    }

    /** TCP rules in the order they are tried. */
    public List<Rule> tcpRules() {
        return tcpRules;
    }

    /** UDP rules in the order they are tried. */
    public List<Rule> udpRules() {
        return udpRules;
    }

    /** Bytes of each direction (or datagram) the patterns see. */
    public int classifyBytes() {
        return classifyBytes;
    }

    /**
     * Classifies a TCP flow from the first bytes of each direction (either may be empty). Never
     * null: falls back to {@code tcp_default}, or to a built-in default interface when the file has
     * none.
     */
    public Classification classifyTcp(FlowKey key, byte[] fromEndpoint1, byte[] fromEndpoint2) {
        ClassifySubject s1 = ClassifySubject.of(fromEndpoint1, classifyBytes);
        ClassifySubject s2 = ClassifySubject.of(fromEndpoint2, classifyBytes);
        for (Rule r : tcpRules) {
            Direction upSide = r.matchTcp(key, s1, s2);
            if (upSide != null) {
                return new Classification(r.name, r.iface, upSide, r.isRegex());
            }
        }
        return tcpDefault;
    }

    /** Classifies one UDP datagram sent by {@code from}. Never null. */
    public Classification classifyUdp(FlowKey key, Direction from, byte[] datagram) {
        ClassifySubject s = ClassifySubject.of(datagram, classifyBytes);
        for (Rule r : udpRules) {
            if (r.matchUdp(key, s)) {
                return r.isRegex() ? new Classification(r.name, r.iface, from, true) : new Classification(r.name, r.iface, Direction.NONE, false);
            }
        }
        return udpDefault;
    }

    /** The interface of ICMP (or ICMPv6) flows. Never null. */
    public Classification classifyIcmp(FlowKey key) {
        return key.protocol == IpProtocols.ICMPV6 ? icmpv6 : icmp;
    }
}
