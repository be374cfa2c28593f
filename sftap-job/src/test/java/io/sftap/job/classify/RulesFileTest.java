package io.sftap.job.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RulesFileTest {

    static String resource(String name) throws IOException {
        try (InputStream in = RulesFileTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void loadsSfTapExampleRulesFileUnchanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fabs.yaml");
        Files.writeString(file, resource("/classify/fabs.yaml"));

        SftapConfig cfg = RulesFile.load(file);

        assertThat(cfg.sourceName).isEqualTo(file.toString());
        assertThat(cfg.global.home).isEqualTo("/tmp/sf-tap");
        assertThat(cfg.global.tcpTimeoutSeconds).isEqualTo(30);
        assertThat(cfg.loopback7.name).isEqualTo("loopback7");
        assertThat(cfg.loopback7.binary).isFalse();
        assertThat(cfg.pcap.name).isEqualTo("pcap");
        assertThat(cfg.forwards).isEmpty();
        assertThat(cfg.rules.tcpRules()).extracting(r -> r.name).containsExactly(
                "http_proxy", "websocket", "torrent_tracker", // nice 90, file order
                "http", "ssl", "ssh", "irc", "ftp", "smtp", "pop", "syslog_tcp", // nice 100
                "http_client", "dns_tcp"); // nice 200: regex before port-only
        assertThat(cfg.rules.udpRules()).extracting(r -> r.name).containsExactly("torrent_dht", "syslog_udp", "dns_udp");
        assertThat(cfg.rules.interfaces()).extracting(InterfaceSpec::toString).contains(
                "tcp/http text", "tcp/dns binary", "udp/dns text", "tcp/syslog text", "udp/syslog text",
                "tcp/default text", "udp/default text", "icmp/icmp binary", "icmp/icmpv6 binary");
        Rule dnsUdp = cfg.rules.udpRules().get(2);
        assertThat(dnsUdp.ports.contains(5355)).isTrue();
        assertThat(dnsUdp.ports.contains(54)).isFalse();
        // SF-TAP's pop writes to the smtp interface: they share one socket
        assertThat(cfg.rules.tcpRules().get(9).iface).isSameAs(cfg.rules.tcpRules().get(8).iface);
    }

    @Test
    void oldGlobalSectionKeepsExtensionDefaults() throws Exception {
        SftapConfig cfg = RulesFile.parse("global:\n  home: /var/sf\n  lru: yes\n  cache: no\n  tcp_threads: 2\n", "old.yaml");

        GlobalSettings dflt = new GlobalSettings();
        assertThat(cfg.global.home).isEqualTo("/var/sf");
        assertThat(cfg.global.hopLimit).isEqualTo(dflt.hopLimit);
        assertThat(cfg.global.classifyBytes).isEqualTo(4096);
        assertThat(cfg.global.pickupWithoutSyn).isEqualTo(dflt.pickupWithoutSyn);
        assertThat(cfg.rules.classifyBytes()).isEqualTo(4096);
    }

    @Test
    void readsExtensionKeysOfGlobal() throws Exception {
        SftapConfig cfg = RulesFile.parse(String.join("\n",
                "global:",
                "  hop_limit: 2",
                "  classify_bytes: 1024",
                "  pickup_without_syn: no",
                "  max_out_of_order_bytes: 65536",
                "  max_out_of_order_segments: 64",
                "  udp_timeout: 10",
                "  icmp_timeout: 5",
                "  fragment_timeout: 15",
                "  max_fragments: 32",
                "  max_datagram_bytes: 9000",
                "  group: sftap",
                ""), "ext.yaml");

        GlobalSettings g = cfg.global;
        assertThat(g.hopLimit).isEqualTo(2);
        assertThat(g.classifyBytes).isEqualTo(1024);
        assertThat(cfg.rules.classifyBytes()).isEqualTo(1024);
        assertThat(g.pickupWithoutSyn).isFalse();
        assertThat(g.maxOutOfOrderBytes).isEqualTo(65536);
        assertThat(g.maxOutOfOrderSegments).isEqualTo(64);
        assertThat(g.udpTimeoutSeconds).isEqualTo(10);
        assertThat(g.icmpTimeoutSeconds).isEqualTo(5);
        assertThat(g.fragmentTimeoutSeconds).isEqualTo(15);
        assertThat(g.maxFragmentsPerDatagram).isEqualTo(32);
        assertThat(g.maxDatagramBytes).isEqualTo(9000);
        assertThat(g.group).isEqualTo("sftap");
    }

    @Test
    void acceptsYesNoAsBooleansOrStrings() throws Exception {
        SftapConfig cfg = RulesFile.parse(String.join("\n",
                "a: {proto: tcp, if: a, body: yes, port: 1}",
                "b: {proto: TCP, if: b, body: 'no', port: 2}",
                "c: {proto: Tcp, if: c, body: false, port: 3}",
                "d: {proto: TCP, if: d, body: \"True\", port: 4, utf8: off}",
                ""), "bools.yaml");

        assertThat(cfg.rules.tcpRules()).extracting(r -> r.iface.body).containsExactly(true, false, false, true);
    }

    @Test
    void sectionWithoutIfIsNamedAfterItself() throws Exception {
        SftapConfig cfg = RulesFile.parse("telnet:\n  proto: TCP\n  port: 23\n", "t.yaml");

        assertThat(cfg.rules.tcpRules().get(0).iface.name).isEqualTo("telnet");
    }

    @Test
    void readsForwardRules() throws Exception {
        SftapConfig cfg = RulesFile.parse(String.join("\n",
                "forward:",
                "  syslog:",
                "    proto: UDP",
                "    port: 514",
                "    from: 10.0.0.0/8",
                "    to:",
                "      - { addr: 192.0.2.10, port: 514, source: preserve }",
                "      - { addr: \"2001:db8::5\", source: relay }",
                "  netflow:",
                "    port: 2055,9995",
                "    from: [192.0.2.0/24, \"2001:db8::/32\"]",
                "    to: 198.51.100.7",
                ""), "fwd.yaml");

        assertThat(cfg.forwards).hasSize(2);
        ForwardRule syslog = cfg.forwards.get(0);
        assertThat(syslog.name).isEqualTo("syslog");
        assertThat(syslog.destinations).extracting(ForwardDestination::toString)
                .containsExactly("192.0.2.10:514 preserve", "2001:db8::5:(same) relay");
        assertThat(syslog.destinations.get(1).portFor(514)).isEqualTo(514);
        assertThat(syslog.matches((byte) 17, new byte[] {10, 1, 2, 3}, 514)).isTrue();
        assertThat(syslog.matches((byte) 17, new byte[] {11, 1, 2, 3}, 514)).isFalse();
        assertThat(syslog.matches((byte) 17, new byte[] {10, 1, 2, 3}, 515)).isFalse();
        assertThat(syslog.matches((byte) 6, new byte[] {10, 1, 2, 3}, 514)).isFalse();
        ForwardRule netflow = cfg.forwards.get(1);
        assertThat(netflow.sources).extracting(IpPrefix::toString).containsExactly("192.0.2.0/24", "2001:db8:0:0:0:0:0:0/32");
        assertThat(netflow.matches((byte) 17, new byte[] {(byte) 192, 0, 2, 99}, 9995)).isTrue();
        // a forward section is not a classification rule
        assertThat(cfg.rules.tcpRules()).isEmpty();
        assertThat(cfg.rules.udpRules()).isEmpty();
    }

    @Test
    void builtInDefaultsLoad() {
        SftapConfig cfg = RulesFile.defaults();

        assertThat(cfg.rules.interfaces()).extracting(i -> i.name).contains(
                "http", "http_proxy", "ssl", "ssh", "smtp", "pop", "ftp", "irc", "dns_udp", "dns_tcp", "bt_dht", "bt_peer", "default");
    }

    @Test
    void missingFileIsARulesException(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        RulesException e = catchThrowableOfType(() -> RulesFile.load(missing), RulesException.class);

        assertThat(e.file).isEqualTo(missing.toString());
        assertThat(e.problem).startsWith("cannot read the rules file");
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("typo in a rule key",
                        "http:\n  proto: TCP\n  upp: '^GET'\n  down: ''\n", 3, "http", "unknown key 'upp' (did you mean 'up'?)"),
                Arguments.of("nice not an integer",
                        "a:\n  proto: TCP\n  port: 80\n  nice: high\n", 4, "a", "'nice' must be an integer, not 'high'"),
                Arguments.of("balance not a power of two",
                        "a:\n  proto: TCP\n  port: 80\n  balance: 3\n", 4, "a", "'balance' must be a power of two"),
                Arguments.of("pattern RE2 cannot compile",
                        "a:\n  proto: TCP\n  up: '^(GET'\n  down: ''\n", 3, "a", "bad 'up' pattern: missing closing )"),
                Arguments.of("backreference (not RE2)",
                        "a:\n  proto: TCP\n  up: ''\n  down: '(a)\\1'\n", 4, "a", "bad 'down' pattern"),
                Arguments.of("TCP up without down",
                        "syslog:\n  proto: TCP\n  up: '^<'\n  port: 514\n", 3, "syslog", "TCP rule has 'up' but no 'down'"),
                Arguments.of("UDP rule with down",
                        "a:\n  proto: UDP\n  up: 'x'\n  down: 'y'\n", 4, "a", "UDP rules have no 'down'"),
                Arguments.of("missing proto",
                        "\n\nhttp:\n  if: http\n  port: 80\n", 3, "http", "missing 'proto' (TCP or UDP)"),
                Arguments.of("unknown proto",
                        "a:\n  proto: SCTP\n", 2, "a", "'proto' must be one of TCP, UDP, not 'SCTP'"),
                Arguments.of("bad port",
                        "a:\n  proto: UDP\n  port: 53,70000\n", 3, "a", "bad 'port': '70000'"),
                Arguments.of("bad format",
                        "a:\n  proto: UDP\n  port: 53\n  format: json\n", 4, "a", "'format' must be one of text, binary"),
                Arguments.of("bad yes/no",
                        "a:\n  proto: UDP\n  port: 53\n  body: maybe\n", 4, "a", "'body' must be yes or no, not 'maybe'"),
                Arguments.of("shared interface disagrees",
                        "a:\n  proto: TCP\n  port: 1\n  if: x\n  format: text\nb:\n  proto: TCP\n  port: 2\n  if: x\n  format: binary\n",
                        10, "b", "shares interface 'tcp/x' with rule 'a' (line 1) but sets format binary"),
                Arguments.of("rule naming default disagrees with the built-in default",
                        "a:\n  proto: UDP\n  port: 1\n  if: default\n  balance: 4\n", 5, "a", "uses interface 'udp/default', the built-in default"),
                Arguments.of("unknown global key",
                        "global:\n  home: /x\n  hoplimit: 3\n", 3, "global", "unknown key 'hoplimit' (did you mean 'hop_limit'?)"),
                Arguments.of("section not a map",
                        "global:\n  home: /x\nhttp: yes\n", 3, "http", "a section must be a map of keys"),
                Arguments.of("duplicate section",
                        "a:\n  proto: UDP\n  port: 1\na:\n  proto: UDP\n  port: 2\n", 4, null, "duplicate key 'a' (first on line 1)"),
                Arguments.of("YAML syntax error",
                        "a:\n  proto: UDP\n   port: [1\n", 3, null, "not valid YAML"),
                Arguments.of("tcp_default with a port",
                        "tcp_default:\n  if: default\n  port: 80\n", 3, "tcp_default", "unknown key 'port'"),
                Arguments.of("tcp_default with another proto",
                        "tcp_default:\n  if: default\n  proto: UDP\n", 3, "tcp_default", "is for TCP"),
                Arguments.of("forward to a host name",
                        "forward:\n  s:\n    port: 514\n    to:\n      - { addr: collector.example, port: 514 }\n", 5, "forward.s", "is not an IP address"),
                Arguments.of("forward without destinations",
                        "forward:\n  s:\n    port: 514\n", 2, "forward.s", "missing 'to'"),
                Arguments.of("forward of TCP",
                        "forward:\n  s:\n    proto: TCP\n    to: 192.0.2.1\n", 3, "forward.s", "only UDP can be forwarded"),
                Arguments.of("forward with a bad source mode",
                        "forward:\n  s:\n    to:\n      - { addr: 192.0.2.1, source: spoof }\n", 4, "forward.s", "'source' must be one of preserve, relay"),
                Arguments.of("forward with a bad prefix",
                        "forward:\n  s:\n    from: 10.0.0.0/33\n    to: 192.0.2.1\n", 3, "forward.s", "bad prefix length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void reportsFileLineRuleAndProblem(String what, String yaml, int line, String rule, String problem) {
        RulesException e = catchThrowableOfType(() -> RulesFile.parse(yaml, "rules.yaml"), RulesException.class);

        assertThat(e).as(what).isNotNull();
        assertThat(e.file).isEqualTo("rules.yaml");
        assertThat(e.line).as(what + ": " + e.getMessage()).isEqualTo(line);
        assertThat(e.rule).isEqualTo(rule);
        assertThat(e.problem).contains(problem);
        assertThat(e.getMessage()).startsWith("rules.yaml:" + line + ": ");
    }

    @Test
    void unknownKeyMessageListsTheKnownKeys() {
        assertThatThrownBy(() -> RulesFile.parse("a:\n  proto: TCP\n  colour: red\n", "r.yaml"))
                .isInstanceOf(RulesException.class)
                .hasMessage("r.yaml:3: rule 'a': unknown key 'colour' (known: up, down, proto, if, format, body, nice, balance, port, utf8)");
    }
}
