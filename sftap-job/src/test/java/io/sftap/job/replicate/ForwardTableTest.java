package io.sftap.job.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.classify.IpPrefix;
import io.sftap.job.classify.RulesFile;
import io.sftap.sinks.replicate.ReplicaTarget;
import io.sftap.source.wire.IpProtocols;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link ForwardTable}: which collectors a datagram goes to, from a real rules file. */
class ForwardTableTest {
    private static final String RULES = String.join("\n",
            "forward:",
            "  syslog:",
            "    port: 514",
            "    to:",
            "      - { addr: 198.18.2.1, source: preserve }",
            "      - { addr: 198.18.2.2, port: 5140, source: relay }",
            "      - { addr: '2001:db8:2::1', source: preserve }",
            "  flows:",
            "    port: 2055,9995",
            "    from: [198.18.1.0/24, '2001:db8:1::/48']",
            "    to: 198.18.2.3",
            "  everything_from_core:",
            "    from: 198.18.1.7",
            "    to: { addr: 198.18.2.9, port: 9999, source: preserve }",
            "");

    static ForwardTable table() throws Exception {
        return new ForwardTable(RulesFile.parse(RULES, "test.yaml").forwards);
    }

    private static String describe(ReplicaTarget[] ts) {
        return String.join(" ", Arrays.stream(ts).map(t -> t.rule + ">" + t.key()).toArray(String[]::new));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "198.18.1.1    | 514  | syslog>198.18.2.1:514/preserve syslog>198.18.2.2:5140/relay",
        "2001:db8:1::1 | 514  | syslog>198.18.2.2:5140/relay syslog>[2001:db8:2::1]:514/preserve",
        "198.18.1.1    | 9995 | flows>198.18.2.3:9995/relay",
        "192.0.2.1     | 2055 | ''",
        "2001:db8:1::9 | 2055 | flows>198.18.2.3:2055/relay",
        "198.18.1.7    | 2055 | flows>198.18.2.3:2055/relay everything_from_core>198.18.2.9:9999/preserve",
        "198.18.1.1    | 53   | ''",
    })
    void sendsToEveryDestinationOfEveryMatchingRule(String src, int port, String want) throws Exception {
        int[] skipped = new int[1];
        ReplicaTarget[] got = table().targetsFor(IpProtocols.UDP, IpPrefix.parseAddress(src), port, skipped);
        assertThat(describe(got)).isEqualTo(want);
    }

    @Test
    void countsPreserveDestinationsOfTheOtherFamilyAsSkipped() throws Exception {
        int[] skipped = new int[1];
        table().targetsFor(IpProtocols.UDP, IpPrefix.parseAddress("198.18.1.1"), 514, skipped);
        assertThat(skipped[0]).isEqualTo(1);
    }

    @Test
    void copiesOnlyUdp() throws Exception {
        assertThat(table().targetsFor(IpProtocols.TCP, IpPrefix.parseAddress("198.18.1.1"), 514)).isEmpty();
        assertThat(ForwardTable.EMPTY.targetsFor(IpProtocols.UDP, IpPrefix.parseAddress("198.18.1.1"), 514)).isEmpty();
    }
}
