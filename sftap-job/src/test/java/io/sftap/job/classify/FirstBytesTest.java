package io.sftap.job.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The first-byte prefilter: exact sets for common shapes, and never a byte RE2 could start a match with. */
class FirstBytesTest {

    static BitSet bytes(String chars) {
        BitSet set = new BitSet(256);
        chars.chars().forEach(set::set);
        return set;
    }

    @Test
    void anchoredLiteralStartsWithItsFirstCharacter() {
        assertThat(FirstBytes.of("^SSH-(2\\.0|1\\.[0-9]+)-", false)).isEqualTo(bytes("S"));
    }

    @Test
    void groupOfAlternativesUnitesTheirFirstCharacters() {
        assertThat(FirstBytes.of("^(GET|POST|HEAD) /", false)).isEqualTo(bytes("GPH"));
        assertThat(FirstBytes.of("^(?:\\x16\\x03|[\\x80-\\xff].)", false).cardinality()).isEqualTo(1 + 128);
    }

    @Test
    void optionalAtomsLetTheNextAtomStartTheMatch() {
        assertThat(FirstBytes.of("^((PASS|CAP) [^\\r\\n]*\\r?\\n)*(NICK |USER )", false)).isEqualTo(bytes("PCNU"));
        assertThat(FirstBytes.of("^x{0,3}y", false)).isEqualTo(bytes("xy"));
        assertThat(FirstBytes.of("^x{1,3}y", false)).isEqualTo(bytes("x"));
    }

    @Test
    void caseInsensitiveGroupAddsBothCases() {
        assertThat(FirstBytes.of("^(?i:EHLO|HELO)[ \\r\\n]", false)).isEqualTo(bytes("eEhH"));
    }

    @Test
    void negatedClassHoldsEveryOtherByte() {
        BitSet set = FirstBytes.of("^[^a-z]", false);
        assertThat(set.cardinality()).isEqualTo(256 - 26);
        assertThat(set.get('q')).isFalse();
    }

    @Test
    void patternsThatMayMatchAnywhereOrNothingFilterNothing() {
        for (String p : List.of("", "GET", "^GET|POST", "^(a|$)", "^a*", "(?m)^GET", "^\\bGET", "^\\pLx",
                "^[[:alpha:]]", "^.?", "^(?s)GET")) {
            assertThat(FirstBytes.of(p, false)).as(p).isEqualTo(FirstBytes.ANY);
        }
    }

    @Test
    void utf8PatternsFilterNothing() {
        // RE2J reads the invalid UTF-8 pair 0xC1 0x63 as 'c': any byte may start a match.
        assertThat(RulePattern.compile("^c", true).matches(ClassifySubject.of(new byte[] {(byte) 0xc1, 0x63}, 64))).isTrue();
        assertThat(FirstBytes.of("^c", true)).isEqualTo(FirstBytes.ANY);
    }

    /** Every up/down pattern of the default rules, the test rules file, and some harder shapes. */
    static Stream<String> patterns() throws IOException, RulesException {
        List<String> out = new ArrayList<>(List.of(
                "^(a|b)?c", "^(?:ab)*c+", "^[-a-z]+ ", "^[]a]", "^[a-]x", "^\\.\\*", "^(?P<v>x|y)z",
                "^a+?b", "^(?i:[a-c])", "^\\d\\s", "^[\\d\\s]", "^\\x00\\xff", "^(x|)y", "^()z"));
        for (String resource : List.of(RulesFile.DEFAULT_RULES_RESOURCE, "/classify/fabs.yaml")) {
            try (InputStream in = FirstBytesTest.class.getResourceAsStream(resource)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                RuleSet rules = RulesFile.parse(text, resource).rules;
                for (Rule r : rules.tcpRules()) {
                    if (r.isRegex()) {
                        out.add(r.up.source());
                        out.add(r.down.source());
                    }
                }
                for (Rule r : rules.udpRules()) {
                    if (r.isRegex()) {
                        out.add(r.up.source());
                    }
                }
            }
        }
        return out.stream().distinct();
    }

    static final List<String> SAMPLES = List.of(
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK\r\n", "SSH-2.0-OpenSSH\r\n",
            "\u0016\u0003\u0001\u0000\u00c8\u0001\u0000\u0000\u00c4\u0003\u0003", "\u0080\u0046\u0001\u0003\u0001",
            "220 mail ESMTP\r\n", "EHLO a\r\n", "NICK x\r\nUSER a b c :d\r\n", ":irc 001 x :hi\r\n",
            "<13>Dec  6 host app: hi", "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
            "+OK ready\r\n", "\u0013BitTorrent protocol", "CONNECT a:443 HTTP/1.1\r\n", "c", "ab", "]x", "-x",
            ".*", "xz", "abc", "5 ", "\u0000\u00ff", "y", "z", "PRI * HTTP/2.0\r\n");

    /**
     * For each sample, and each byte put in front of it or in place of its first byte: if RE2
     * matches, the byte is in the set. Tried in both subject encodings.
     */
    @ParameterizedTest
    @MethodSource("patterns")
    void neverExcludesAByteThatStartsAMatch(String source) {
        Random random = new Random(source.hashCode());
        for (boolean utf8 : new boolean[] {false, true}) {
            Pattern re = Pattern.compile(source, Pattern.DOTALL);
            BitSet first = FirstBytes.of(source, utf8);
            List<byte[]> subjects = new ArrayList<>();
            for (String sample : SAMPLES) {
                byte[] s = sample.getBytes(StandardCharsets.ISO_8859_1);
                for (int b = 0; b < 256; b++) {
                    byte[] replaced = s.clone();
                    replaced[0] = (byte) b;
                    byte[] prefixed = new byte[s.length + 1];
                    prefixed[0] = (byte) b;
                    System.arraycopy(s, 0, prefixed, 1, s.length);
                    subjects.add(replaced);
                    subjects.add(prefixed);
                }
            }
            for (int i = 0; i < 2000; i++) {
                byte[] r = new byte[1 + random.nextInt(24)];
                random.nextBytes(r);
                subjects.add(r);
            }
            for (byte[] s : subjects) {
                boolean matched = utf8 ? re.matcher(s).find() : re.matcher(new String(s, StandardCharsets.ISO_8859_1)).find();
                if (matched) {
                    assertThat(first.get(s[0] & 0xff))
                            .as("%s (utf8 %s) matches a subject starting with 0x%02x", source, utf8, s[0] & 0xff)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void rulePatternAgreesWithTheRegexWhereThePrefilterRejects() {
        RulePattern http = RulePattern.compile("^(GET|POST) /", false);
        assertThat(http.matches(ClassifySubject.of("GET / x".getBytes(StandardCharsets.ISO_8859_1), 64))).isTrue();
        assertThat(http.matches(ClassifySubject.of("XGET / x".getBytes(StandardCharsets.ISO_8859_1), 64))).isFalse();
        assertThat(http.matches(ClassifySubject.of(new byte[0], 64))).isFalse();
        assertThat(RulePattern.compile("", false).matches(ClassifySubject.of(new byte[0], 64))).isTrue();
        assertThat(RulePattern.compile("^(a|$)", false).matches(ClassifySubject.of(new byte[0], 64))).isTrue();
    }
}
