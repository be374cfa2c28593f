package io.sftap.job.classify;

import io.sftap.source.wire.IpProtocols;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the {@code forward} section: named forwarding rules for the replicator. */
final class ForwardRulesParser {
    static final List<String> KEYS = List.of("proto", "port", "from", "to");
    static final List<String> DESTINATION_KEYS = List.of("addr", "port", "source");

    private ForwardRulesParser() {}

    static List<ForwardRule> parse(String source, YamlNode forward) throws RulesException {
        if (forward.kind == YamlNode.Kind.NULL) {
            return List.of();
        }
        if (forward.kind != YamlNode.Kind.MAP) {
            throw new RulesException(source, forward.line, "forward", "'forward' must be a map of named forwarding rules, not " + forward.describe());
        }
        List<ForwardRule> rules = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : forward.entries().entrySet()) {
            String name = "forward." + e.getKey();
            YamlNode body = e.getValue();
            if (body.kind != YamlNode.Kind.MAP) {
                throw new RulesException(source, forward.lineOf(e.getKey()), name, "a forwarding rule must be a map (proto, port, from, to), not " + body.describe());
            }
            rules.add(rule(new SectionReader(source, name, body, forward.lineOf(e.getKey())), e.getKey()));
        }
        return rules;
    }

    private static ForwardRule rule(SectionReader s, String name) throws RulesException {
        s.requireKnownKeys(KEYS);
        String proto = s.choice("proto", "UDP", "TCP");
        if (proto == null) {
            proto = "UDP";
        } else if (!proto.equals("UDP")) {
            throw s.error("proto", "only UDP can be forwarded (the replicator copies datagrams)");
        }
        PortSet ports = RuleSectionParser.ports(s);
        List<IpPrefix> sources = new ArrayList<>();
        for (YamlNode n : listOf(s, "from")) {
            sources.add(prefix(s, n));
        }
        List<YamlNode> to = listOf(s, "to");
        if (to.isEmpty()) {
            throw s.error(s.has("to") ? "to" : null, "missing 'to': a forwarding rule needs at least one destination");
        }
        List<ForwardDestination> destinations = new ArrayList<>();
        for (YamlNode n : to) {
            destinations.add(destination(s, n));
        }
        return new ForwardRule(name, IpProtocols.UDP, ports, sources, destinations);
    }

    /** A scalar or a list of scalars/maps, as a list. */
    private static List<YamlNode> listOf(SectionReader s, String key) {
        YamlNode v = s.raw(key);
        if (v == null || v.kind == YamlNode.Kind.NULL) {
            return List.of();
        }
        return v.kind == YamlNode.Kind.LIST ? v.items() : List.of(v);
    }

    private static IpPrefix prefix(SectionReader s, YamlNode n) throws RulesException {
        if (n.kind != YamlNode.Kind.SCALAR) {
            throw new RulesException(sourceOf(s), n.line, s.section(), "'from' entries must be addresses or prefixes, not " + n.describe());
        }
        try {
            return IpPrefix.parse(n.text());
        } catch (IllegalArgumentException e) {
            throw new RulesException(sourceOf(s), n.line, s.section(), "bad 'from': " + e.getMessage());
        }
    }

    private static ForwardDestination destination(SectionReader s, YamlNode n) throws RulesException {
        String src = sourceOf(s);
        if (n.kind == YamlNode.Kind.SCALAR) {
            return new ForwardDestination(address(s, n, n.text()), n.text().trim(), 0, ForwardDestination.SourceMode.RELAY);
        }
        if (n.kind != YamlNode.Kind.MAP) {
            throw new RulesException(src, n.line, s.section(), "'to' entries must be maps { addr, port, source } or addresses, not " + n.describe());
        }
        SectionReader d = new SectionReader(src, s.section(), n, n.line);
        d.requireKnownKeys(DESTINATION_KEYS);
        String addr = d.string("addr");
        if (addr == null) {
            throw d.error(null, "destination without 'addr'");
        }
        int port = d.integer("port", 0, 1, 65535);
        String mode = d.choice("source", "preserve", "relay");
        ForwardDestination.SourceMode m = "preserve".equals(mode) ? ForwardDestination.SourceMode.PRESERVE : ForwardDestination.SourceMode.RELAY;
        return new ForwardDestination(address(d, n, addr), addr.trim(), port, m);
    }

    private static byte[] address(SectionReader s, YamlNode n, String text) throws RulesException {
        try {
            return IpPrefix.parseAddress(text);
        } catch (IllegalArgumentException e) {
            throw new RulesException(sourceOf(s), n.line, s.section(), "bad destination 'addr': " + e.getMessage());
        }
    }

    private static String sourceOf(SectionReader s) {
        return s.source();
    }
}
