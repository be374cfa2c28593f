package io.sftap.job.classify;

import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;

/**
 * One classification rule (a section of the rules file). A regex rule has an {@code up} pattern
 * (TCP: and a {@code down} pattern); a port-only rule has neither. A non-empty {@link #ports} gates
 * both kinds: the rule applies only to flows with either port in the set.
 */
public final class Rule {
    /** L4 protocol of a rule. */
    public enum Proto {
        TCP,
        UDP
    }

    public final String name;
    public final Proto proto;
    public final InterfaceSpec iface;
    /** Null for port-only rules. */
    public final RulePattern up;
    /** Null for port-only rules and for UDP rules. */
    public final RulePattern down;
    public final PortSet ports;
    /** Smaller runs first; SF-TAP's default is 100. */
    public final int nice;
    /** Line of the section in the rules file (0 for built-in rules). */
    public final int line;

    public Rule(String name, Proto proto, InterfaceSpec iface, RulePattern up, RulePattern down, PortSet ports, int nice, int line) {
        this.name = name;
        this.proto = proto;
        this.iface = iface;
        this.up = up;
        this.down = down;
        this.ports = ports;
        this.nice = nice;
        this.line = line;
    }

    public boolean isRegex() {
        return up != null;
    }

    /**
     * Matches a TCP flow. Returns the endpoint whose bytes matched {@code up} (endpoint1 is tried
     * first, as in SF-TAP), {@link Direction#NONE} for a port-only match, or null for no match.
     */
    Direction matchTcp(FlowKey key, ClassifySubject fromEndpoint1, ClassifySubject fromEndpoint2) {
        if (!ports.matchesEither(key.port1, key.port2)) {
            return null;
        }
        if (!isRegex()) {
            return Direction.NONE;
        }
        if (up.matches(fromEndpoint1) && down.matches(fromEndpoint2)) {
            return Direction.FROM_ENDPOINT1;
        }
        if (up.matches(fromEndpoint2) && down.matches(fromEndpoint1)) {
            return Direction.FROM_ENDPOINT2;
        }
        return null;
    }

    /** Matches one UDP datagram: the port gate, then {@code up} (if any) on the datagram. */
    boolean matchUdp(FlowKey key, ClassifySubject datagram) {
        return ports.matchesEither(key.port1, key.port2) && (!isRegex() || up.matches(datagram));
    }

    @Override
    public String toString() {
        return name + " (" + proto + ", nice " + nice + (isRegex() ? ", regex" : ", port " + ports) + " -> " + iface + ")";
    }
}
