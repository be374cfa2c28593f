package io.sftap.job.classify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads and validates rules files (SF-TAP's fabs.yaml format plus sftap's extensions).
 *
 * <p>Sections: {@code global}; the inputs {@code loopback7} and {@code pcap}; the interfaces
 * {@code tcp_default}, {@code udp_default}, {@code icmp}, {@code icmpv6}; {@code forward}
 * (forwarding rules); every other section is a classification rule. See docs/config.md.
 */
public final class RulesFile {
    /** Classpath location of sftap's own default rules. */
    public static final String DEFAULT_RULES_RESOURCE = "/io/sftap/job/default-rules.yaml";

    static final List<String> INPUT_KEYS = List.of("if", "format");
    static final List<String> DEFAULT_KEYS = List.of("if", "proto", "format", "body", "balance");

    private RulesFile() {}

    public static SftapConfig load(Path file) throws RulesException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RulesException(file.toString(), 0, null, "cannot read the rules file: " + e);
        }
        return parse(text, file.toString());
    }

    public static SftapConfig parse(String yamlText, String sourceName) throws RulesException {
        YamlNode root = YamlNode.parse(yamlText, sourceName);
        if (root.kind != YamlNode.Kind.MAP) {
            throw new RulesException(sourceName, root.line, null, "a rules file is a map of sections, not " + root.describe());
        }
        GlobalSettings global = new GlobalSettings();
        InterfaceTable table = new InterfaceTable(sourceName);
        List<RuleSectionParser.RuleDraft> drafts = new ArrayList<>();
        InterfaceDraft tcpDefault = null;
        InterfaceDraft udpDefault = null;
        InterfaceDraft icmp = null;
        InterfaceDraft icmpv6 = null;
        InputSpec loopback7 = null;
        InputSpec pcap = null;
        List<ForwardRule> forwards = List.of();

        for (Map.Entry<String, YamlNode> e : root.entries().entrySet()) {
            String name = e.getKey();
            YamlNode body = e.getValue();
            if (name.equals("forward")) {
                forwards = ForwardRulesParser.parse(sourceName, body);
                continue;
            }
            SectionReader s = new SectionReader(sourceName, name, section(sourceName, root, name, body), root.lineOf(name));
            switch (name) {
                case "global":
                    global = GlobalSettingsParser.parse(s);
                    break;
                case "loopback7":
                    loopback7 = input(s);
                    break;
                case "pcap":
                    pcap = input(s);
                    break;
                case "tcp_default":
                    tcpDefault = defaultInterface(s, "tcp", "TCP");
                    table.add(tcpDefault);
                    break;
                case "udp_default":
                    udpDefault = defaultInterface(s, "udp", "UDP");
                    table.add(udpDefault);
                    break;
                case "icmp":
                    icmp = defaultInterface(s, "icmp", "ICMP");
                    table.add(icmp);
                    break;
                case "icmpv6":
                    icmpv6 = defaultInterface(s, "icmp", "ICMPV6");
                    table.add(icmpv6);
                    break;
                default:
                    RuleSectionParser.RuleDraft d = RuleSectionParser.parse(s);
                    drafts.add(d);
                    table.add(d.iface);
            }
        }
        // Built-in defaults go through the table too, so that a rule naming 'default' must agree with them.
        addBuiltInIfAbsent(tcpDefault, "tcp", table);
        addBuiltInIfAbsent(udpDefault, "udp", table);
        addBuiltInIfAbsent(icmp == null ? icmpv6 : icmp, "icmp", table);
        table.resolve();

        List<Rule> rules = new ArrayList<>(drafts.size());
        for (RuleSectionParser.RuleDraft d : drafts) {
            rules.add(d.build(table));
        }
        RuleSet ruleSet = new RuleSet(rules, specOrNull(table, tcpDefault), specOrNull(table, udpDefault),
                specOrNull(table, icmp), specOrNull(table, icmpv6), global.classifyBytes);
        return new SftapConfig(global, ruleSet, yamlText, sourceName, forwards, loopback7, pcap);
    }

    /** sftap's own default rules (a resource of this module). */
    public static SftapConfig defaults() {
        try (InputStream in = RulesFile.class.getResourceAsStream(DEFAULT_RULES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RULES_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default-rules.yaml (built in)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RulesException e) {
            throw new IllegalStateException("the built-in default rules are invalid: " + e.getMessage(), e);
        }
    }

    private static YamlNode section(String source, YamlNode root, String name, YamlNode body) throws RulesException {
        if (body.kind != YamlNode.Kind.MAP) {
            throw new RulesException(source, root.lineOf(name), name, "a section must be a map of keys, not " + body.describe());
        }
        return body;
    }

    private static InputSpec input(SectionReader s) throws RulesException {
        s.requireKnownKeys(INPUT_KEYS);
        String name = s.string("if");
        String format = s.choice("format", "text", "binary");
        return new InputSpec(s.section(), name == null ? s.section() : name.trim(), "binary".equals(format));
    }

    private static InterfaceDraft defaultInterface(SectionReader s, String folder, String proto) throws RulesException {
        s.requireKnownKeys(DEFAULT_KEYS);
        String p = s.string("proto");
        if (p != null && !p.trim().equalsIgnoreCase(proto)) {
            throw s.error("proto", "'" + s.section() + "' is for " + proto + "; it cannot have proto " + p);
        }
        return InterfaceDraft.read(s, folder);
    }

    /** Registers the built-in {@code <folder>/default} interface (text, body, no balance) when the file has no default. */
    private static void addBuiltInIfAbsent(InterfaceDraft d, String folder, InterfaceTable table) {
        if (d == null) {
            table.add(new InterfaceDraft("default (built in)", 0, RuleSet.BUILT_IN_DEFAULT, folder, false, true, 1));
        }
    }

    private static InterfaceSpec specOrNull(InterfaceTable table, InterfaceDraft d) {
        return d == null ? null : table.spec(d);
    }
}
