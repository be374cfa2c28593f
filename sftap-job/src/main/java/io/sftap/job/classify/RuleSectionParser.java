package io.sftap.job.classify;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one classification rule section into a {@link RuleDraft}, checking every key. */
final class RuleSectionParser {
    private static final Logger LOG = LoggerFactory.getLogger(RuleSectionParser.class);

    static final List<String> KEYS = List.of("up", "down", "proto", "if", "format", "body", "nice", "balance", "port", "utf8");
    /** SF-TAP's default nice. */
    static final int DEFAULT_NICE = 100;

    private RuleSectionParser() {}

    /** A rule read from the file whose interface is not yet merged with the others. */
    static final class RuleDraft {
        final String name;
        final Rule.Proto proto;
        final InterfaceDraft iface;
        final RulePattern up;
        final RulePattern down;
        final PortSet ports;
        final int nice;
        final int line;

        RuleDraft(String name, Rule.Proto proto, InterfaceDraft iface, RulePattern up, RulePattern down, PortSet ports, int nice, int line) {
            this.name = name;
            this.proto = proto;
            this.iface = iface;
            this.up = up;
            this.down = down;
            this.ports = ports;
            this.nice = nice;
            this.line = line;
        }

        Rule build(InterfaceTable table) {
            return new Rule(name, proto, table.spec(iface), up, down, ports, nice, line);
        }
    }

    static RuleDraft parse(SectionReader s) throws RulesException {
        s.requireKnownKeys(KEYS);
        String protoText = s.choice("proto", "TCP", "UDP");
        if (protoText == null) {
            throw s.error(null, "missing 'proto' (TCP or UDP)");
        }
        Rule.Proto proto = Rule.Proto.valueOf(protoText);
        InterfaceDraft iface = InterfaceDraft.read(s, proto == Rule.Proto.TCP ? "tcp" : "udp");
        int nice = s.integer("nice", DEFAULT_NICE, Integer.MIN_VALUE, Integer.MAX_VALUE);
        boolean utf8 = s.bool("utf8", false);
        PortSet ports = ports(s);
        RulePattern up = pattern(s, "up", utf8);
        RulePattern down = pattern(s, "down", utf8);

        if (proto == Rule.Proto.UDP && down != null) {
            throw s.error("down", "UDP rules have no 'down': each datagram is matched against 'up' alone");
        }
        if (proto == Rule.Proto.TCP && (up == null) != (down == null)) {
            String has = up != null ? "up" : "down";
            String missing = up != null ? "down" : "up";
            throw s.error(has, "TCP rule has '" + has + "' but no '" + missing + "': a TCP rule needs both to be a regex rule"
                    + " (SF-TAP would silently ignore '" + has + "' and match on port alone). Add " + missing
                    + ": '' to accept anything from the other side, or remove '" + has + "' for a port-only rule");
        }
        if (up == null && ports.isAny()) {
            LOG.warn("{}: rule '{}' has no pattern and no port: it takes every {} flow that reaches nice {}",
                    s.section(), s.section(), proto, nice);
        }
        return new RuleDraft(s.section(), proto, iface, up, down, ports, nice, s.line());
    }

    private static RulePattern pattern(SectionReader s, String key, boolean utf8) throws RulesException {
        String text = s.string(key);
        if (text == null) {
            if (s.raw(key) != null) {
                return RulePattern.compile("", utf8); // 'down:' with nothing: matches anything
            }
            return null;
        }
        try {
            return RulePattern.compile(text, utf8);
        } catch (IllegalArgumentException e) {
            throw s.error(key, "bad '" + key + "' pattern: " + e.getMessage());
        }
    }

    /** {@code port: 80}, {@code port: 53,5353}, {@code port: 6881-6889} or a YAML list of those. */
    static PortSet ports(SectionReader s) throws RulesException {
        YamlNode v = s.raw("port");
        if (v == null || v.kind == YamlNode.Kind.NULL) {
            return PortSet.ANY;
        }
        try {
            if (v.kind == YamlNode.Kind.SCALAR) {
                return PortSet.parse(v.text());
            }
            if (v.kind == YamlNode.Kind.LIST && !v.items().isEmpty()) {
                List<PortSet> sets = new ArrayList<>();
                for (YamlNode item : v.items()) {
                    if (item.kind != YamlNode.Kind.SCALAR) {
                        throw new IllegalArgumentException("port list entries must be ports or ranges, not " + item.describe());
                    }
                    sets.add(PortSet.parse(item.text()));
                }
                return PortSet.union(sets);
            }
            throw new IllegalArgumentException("expected a port, a comma list or a range, not " + v.describe());
        } catch (IllegalArgumentException e) {
            throw s.error("port", "bad 'port': " + e.getMessage());
        }
    }
}
