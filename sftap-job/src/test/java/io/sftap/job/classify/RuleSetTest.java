package io.sftap.job.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.sinks.event.Match;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleSetTest {
    static final byte[] IP1 = {10, 0, 0, 1};
    static final byte[] IP2 = {10, 0, 0, 2};
    static final Direction E1 = Direction.FROM_ENDPOINT1;
    static final Direction E2 = Direction.FROM_ENDPOINT2;
    static final Direction NONE = Direction.NONE;

    static RuleSet rules(String yaml) throws RulesException {
        return RulesFile.parse(yaml, "test.yaml").rules;
    }

    /** Bytes of a string, one byte per char (chars above 0xff are not used here). */
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static FlowKey tcp(int port1, int port2) {
        return new FlowKey(0, 4, 6, IP1, port1, IP2, port2);
    }

    static FlowKey udp(int port1, int port2) {
        return new FlowKey(0, 4, 17, IP1, port1, IP2, port2);
    }

    static final String HTTP = "http:\n  proto: TCP\n  up: '^GET '\n  down: '^HTTP/1\\.1 '\n";
    static final String TCP_DEFAULT = "tcp_default:\n  if: default\n";

    static Stream<Arguments> tcpCases() {
        return Stream.of(
                Arguments.of("up from endpoint1", HTTP, "GET / HTTP/1.1\r\n", "HTTP/1.1 200 OK\r\n", 40000, 80, "http", E1),
                Arguments.of("up from endpoint2 (either direction may match up)", HTTP,
                        "HTTP/1.1 200 OK\r\n", "GET / HTTP/1.1\r\n", 80, 40000, "http", E2),
                Arguments.of("down not matched falls to tcp_default", HTTP + TCP_DEFAULT,
                        "GET / HTTP/1.1\r\n", "SSH-2.0-x\r\n", 1, 2, "tcp_default", NONE),
                Arguments.of("no default in the file: built-in default", HTTP, "x", "y", 1, 2, "default", NONE),
                Arguments.of("smaller nice first",
                        "a:\n  proto: TCP\n  up: 'GET'\n  down: ''\n  nice: 100\nb:\n  proto: TCP\n  up: '^GET /'\n  down: ''\n  nice: 50\n",
                        "GET /", "", 1, 2, "b", E1),
                Arguments.of("within one nice, regex before port-only even when listed after",
                        "p:\n  proto: TCP\n  port: 80\nr:\n  proto: TCP\n  up: '^GET'\n  down: ''\n",
                        "GET /", "", 40000, 80, "r", E1),
                Arguments.of("port-only at a smaller nice beats regex",
                        "r:\n  proto: TCP\n  up: '^GET'\n  down: ''\np:\n  proto: TCP\n  port: 80\n  nice: 10\n",
                        "GET /", "", 40000, 80, "p", NONE),
                Arguments.of("within one nice and kind, file order",
                        "z:\n  proto: TCP\n  up: 'G'\n  down: ''\na:\n  proto: TCP\n  up: 'GET'\n  down: ''\n",
                        "GET", "", 1, 2, "z", E1),
                Arguments.of("port gates a regex rule (SF-TAP's syslog_tcp)",
                        "syslog:\n  proto: TCP\n  up: '^<[0-9]+>'\n  down: ''\n  port: 514\n", "<13>hi", "", 40000, 515, "default", NONE),
                Arguments.of("port gate passes on either port",
                        "syslog:\n  proto: TCP\n  up: '^<[0-9]+>'\n  down: ''\n  port: 514\n", "", "<13>hi", 514, 40000, "syslog", E2),
                Arguments.of("port ranges",
                        "bt:\n  proto: TCP\n  port: 6881-6889\n", "", "", 6885, 40000, "bt", NONE),
                Arguments.of("partial match: pattern found mid-data",
                        "a:\n  proto: TCP\n  up: 'needle'\n  down: ''\n", "hay needle hay", "", 1, 2, "a", E1),
                Arguments.of("^ anchors at the start of the data",
                        "a:\n  proto: TCP\n  up: '^needle'\n  down: ''\n", "hay needle", "", 1, 2, "default", NONE),
                Arguments.of("dot matches newline",
                        "a:\n  proto: TCP\n  up: '^a.b'\n  down: ''\n", "a\nb", "", 1, 2, "a", E1),
                Arguments.of("latin-1: \\xe9 is the byte 0xe9",
                        "a:\n  proto: TCP\n  up: '^caf\\xe9$'\n  down: ''\n", "caf\u00e9", "", 1, 2, "a", E1),
                Arguments.of("latin-1: one UTF-8 character is two characters",
                        "a:\n  proto: TCP\n  up: '^caf.$'\n  down: ''\n", "caf\u00c3\u00a9", "", 1, 2, "default", NONE),
                Arguments.of("utf8: yes decodes UTF-8",
                        "a:\n  proto: TCP\n  up: '^caf\u00e9$'\n  down: ''\n  utf8: yes\n", "caf\u00c3\u00a9", "", 1, 2, "a", E1),
                Arguments.of("utf8: yes does not match the lone latin-1 byte",
                        "a:\n  proto: TCP\n  up: '^caf\u00e9$'\n  down: ''\n  utf8: yes\n", "caf\u00e9", "", 1, 2, "default", NONE),
                Arguments.of("empty down accepts a silent side",
                        "a:\n  proto: TCP\n  up: '^hello'\n  down: ''\n", "", "hello", 1, 2, "a", E2),
                Arguments.of("'$' in down means the other side said nothing",
                        "a:\n  proto: TCP\n  up: '^hello'\n  down: '^$'\n", "x", "hello", 1, 2, "default", NONE),
                Arguments.of("patterns see only classify_bytes",
                        "global:\n  classify_bytes: 8\na:\n  proto: TCP\n  up: 'xyz'\n  down: ''\n", "0123456789xyz", "", 1, 2, "default", NONE),
                Arguments.of("SF-TAP pop: up and down swapped still matches, into smtp's socket",
                        "pop:\n  up: '^\\+OK .+\\r\\n'\n  down: '^USER .+\\r\\n'\n  proto: TCP\n  if: smtp\n",
                        "USER bob\r\n", "+OK ready\r\n", 40000, 110, "pop", E2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tcpCases")
    void classifiesTcpFlows(String what, String yaml, String fromEp1, String fromEp2, int port1, int port2,
            String rule, Direction upSide) throws Exception {
        Classification c = rules(yaml).classifyTcp(tcp(port1, port2), b(fromEp1), b(fromEp2));

        assertThat(c.ruleName).as(what).isEqualTo(rule);
        assertThat(c.upSide).as(what).isEqualTo(upSide);
        assertThat(c.byPattern).isEqualTo(upSide != NONE);
    }

    @Test
    void matchOfDataFollowsTheSideThatMatchedUp() throws Exception {
        Classification c = rules(HTTP).classifyTcp(tcp(80, 40000), b("HTTP/1.1 200 OK\r\n"), b("GET / HTTP/1.1\r\n"));

        assertThat(c.matchFor(E2)).isEqualTo(Match.UP);
        assertThat(c.matchFor(E1)).isEqualTo(Match.DOWN);
        assertThat(c.iface.folder).isEqualTo("tcp");
        assertThat(c.iface.name).isEqualTo("http");
    }

    static Stream<Arguments> udpCases() {
        String rules = String.join("\n",
                "dht:",
                "  proto: UDP",
                "  up: '^d.*1:y1:[eqr]'",
                "syslog:",
                "  proto: UDP",
                "  up: '^<[0-9]+>'",
                "  port: 514",
                "dns:",
                "  proto: UDP",
                "  port: 53,5353",
                "  nice: 200",
                "udp_default:",
                "  if: other",
                "");
        return Stream.of(
                Arguments.of("regex rule on the datagram", rules, E2, "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe", 40000, 50000, "dht", E2),
                Arguments.of("regex rule gated by port", rules, E1, "<13>msg", 40000, 515, "udp_default", NONE),
                Arguments.of("regex rule with port", rules, E1, "<13>msg", 40000, 514, "syslog", E1),
                Arguments.of("port-only rule gives match none", rules, E1, "\u0012\u0034\u0001\u0000", 53, 40000, "dns", NONE),
                Arguments.of("port list", rules, E2, "x", 5353, 5353, "dns", NONE),
                Arguments.of("nothing matches: udp_default", rules, E1, "x", 1, 2, "udp_default", NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("udpCases")
    void classifiesEachUdpDatagram(String what, String yaml, Direction from, String datagram, int port1, int port2,
            String rule, Direction upSide) throws Exception {
        Classification c = rules(yaml).classifyUdp(udp(port1, port2), from, b(datagram));

        assertThat(c.ruleName).as(what).isEqualTo(rule);
        assertThat(c.upSide).as(what).isEqualTo(upSide);
        assertThat(c.matchFor(from)).isEqualTo(upSide == NONE ? Match.NONE : Match.UP);
    }

    @Test
    void icmpFlowsGoToTheirSectionsUnderTheIcmpFolder() throws Exception {
        RuleSet rs = rules("icmp:\n  proto: ICMP\n  if: icmp\n  format: binary\nicmpv6:\n  proto: ICMPV6\n  if: icmpv6\n");

        Classification v4 = rs.classifyIcmp(new FlowKey(0, 4, 1, IP1, 0, IP2, 0));
        Classification v6 = rs.classifyIcmp(new FlowKey(0, 6, 58, new byte[16], 0, new byte[16], 0));

        assertThat(v4.iface.socketFor(new FlowKey(0, 4, 1, IP1, 0, IP2, 0))).isEqualTo("icmp/icmp");
        assertThat(v4.iface.binary).isTrue();
        assertThat(v6.ruleName).isEqualTo("icmpv6");
        assertThat(v6.iface.socketPaths()).containsExactly("icmp/icmpv6");
    }

    @Test
    void withoutDefaultsEverythingGoesToBuiltInDefaultInterfaces() throws Exception {
        RuleSet rs = new RuleSet();

        assertThat(rs.classifyTcp(tcp(1, 2), b("x"), b("y")).iface.socketPaths()).containsExactly("tcp/default");
        assertThat(rs.classifyUdp(udp(1, 2), E1, b("x")).iface.socketPaths()).containsExactly("udp/default");
        assertThat(rs.classifyIcmp(new FlowKey(0, 4, 1, IP1, 0, IP2, 0)).iface.socketPaths()).containsExactly("icmp/default");
        assertThat(rs.interfaces()).extracting(i -> i.folder + "/" + i.name).containsExactly("tcp/default", "udp/default", "icmp/default");
    }

    @Test
    void balancedInterfaceNamesOneSocketPerSlot() throws Exception {
        RuleSet rs = rules("http:\n  proto: TCP\n  port: 80\n  balance: 4\n");
        FlowKey key = tcp(40000, 80);

        InterfaceSpec iface = rs.classifyTcp(key, b(""), b("")).iface;

        assertThat(iface.socketPaths()).containsExactly("tcp/http0", "tcp/http1", "tcp/http2", "tcp/http3");
        assertThat(iface.socketFor(key)).isEqualTo("tcp/http" + key.balanceSlot(4));
        assertThat(iface.socketPaths()).contains(iface.socketFor(key));
    }

    @Test
    void rulesSharingAnInterfaceShareOneSpec() throws Exception {
        RuleSet rs = rules("a:\n  proto: TCP\n  port: 1\n  if: x\n  format: binary\nb:\n  proto: TCP\n  port: 2\n  if: x\n");

        assertThat(rs.tcpRules().get(0).iface).isSameAs(rs.tcpRules().get(1).iface);
        assertThat(rs.tcpRules().get(1).iface.binary).isTrue();
        assertThat(rs.interfaces()).filteredOn(i -> i.name.equals("x")).hasSize(1);
    }

    @Test
    void backtrackingBombFinishesWithTheRightAnswer() throws Exception {
        // Exponential for backtracking engines; RE2 is linear in the input.
        RuleSet rs = rules("redos:\n  proto: TCP\n  up: '^(a+)+$'\n  down: ''\nnested:\n  proto: TCP\n  up: '^(a|aa)*(b|c)*x'\n  down: ''\n");
        byte[] attack = b("a".repeat(4095) + "!");

        Classification c = rs.classifyTcp(tcp(1, 2), attack, attack);

        assertThat(c.ruleName).isEqualTo("default");
        assertThat(rs.classifyTcp(tcp(1, 2), b("a".repeat(4000)), b("")).ruleName).isEqualTo("redos");
    }
}
