package io.sftap.job.replicate;

import io.sftap.job.classify.ForwardDestination;
import io.sftap.job.classify.ForwardRule;
import io.sftap.sinks.replicate.ReplicaTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * The forwarding rules in force, ready for matching: which collectors a UDP datagram is copied to.
 *
 * <p>Immutable; a rules change builds a new table and swaps the reference, so every datagram is
 * matched against one whole rule set, old or new. Plain Java.
 */
public final class ForwardTable {
    /** The table without rules: nothing is copied. */
    public static final ForwardTable EMPTY = new ForwardTable(List.of());

    private static final ReplicaTarget[] NONE = new ReplicaTarget[0];

    private final List<ForwardRule> rules;
    /** Per rule, its targets; entries with port 0 take the datagram's port (filled per datagram). */
    private final ReplicaTarget[][] templates;

    public ForwardTable(List<ForwardRule> rules) {
        this.rules = List.copyOf(rules);
        this.templates = new ReplicaTarget[rules.size()][];
        for (int i = 0; i < rules.size(); i++) {
            ForwardRule r = rules.get(i);
            templates[i] = new ReplicaTarget[r.destinations.size()];
            for (int j = 0; j < r.destinations.size(); j++) {
                ForwardDestination d = r.destinations.get(j);
                templates[i][j] = new ReplicaTarget(r.name, d.address, d.port,
                        d.source == ForwardDestination.SourceMode.PRESERVE);
            }
        }
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<ForwardRule> rules() {
        return rules;
    }

    /** {@link #targetsFor(byte, byte[], int, int[])} without counting skipped targets. */
    public ReplicaTarget[] targetsFor(byte protocol, byte[] srcAddr, int dstPort) {
        return targetsFor(protocol, srcAddr, dstPort, new int[1]);
    }

    /**
     * Where a datagram goes: the destinations of every rule it matches, in rule order (a collector
     * named by two matching rules gets two copies, as the rules say). Empty when none matches.
     *
     * <p>A {@code preserve} destination of the other address family cannot carry the original
     * source (an IPv4 source in an IPv6 packet); it is skipped and counted in {@code skipped[0]}.
     * A {@code relay} destination takes both families.
     */
    public ReplicaTarget[] targetsFor(byte protocol, byte[] srcAddr, int dstPort, int[] skipped) {
        List<ReplicaTarget> out = null;
        for (int i = 0; i < templates.length; i++) {
            if (!rules.get(i).matches(protocol, srcAddr, dstPort)) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>();
            }
            for (ReplicaTarget t : templates[i]) {
                if (t.preserve && t.address.length != srcAddr.length) {
                    skipped[0]++;
                    continue;
                }
                out.add(t.port != 0 ? t : new ReplicaTarget(t.rule, t.address, dstPort, t.preserve));
            }
        }
        return out == null ? NONE : out.toArray(NONE);
    }
}
