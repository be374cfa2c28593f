package io.sftap.job.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.classify.IpPrefix;
import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.replicate.Replica;
import io.sftap.sinks.replicate.ReplicaTarget;
import io.sftap.source.wire.IpProtocols;
import io.sftap.source.wire.Packet;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Operator tests for {@link ReplicationFunction}: matching, live rule pushes, refused files. */
class ReplicationFunctionTest {
    private static String rules(String... collectors) {
        StringBuilder sb = new StringBuilder("forward:\n  syslog:\n    port: 514\n    to:\n");
        for (String c : collectors) {
            sb.append("      - { addr: ").append(c).append(", source: preserve }\n");
        }
        return sb.toString();
    }

    private static Packet datagram(String src, int dstPort, int seq) {
        Packet p = new Packet();
        p.ipVersion = 4;
        p.protocol = IpProtocols.UDP;
        p.srcAddr = IpPrefix.parseAddress(src);
        p.dstAddr = IpPrefix.parseAddress("198.18.1.254");
        p.srcPort = 40000;
        p.dstPort = dstPort;
        p.payload = new byte[] {(byte) seq};
        p.timestampNanos = seq * 1_000_000L;
        return p;
    }

    private static BroadcastOperatorTestHarness<Packet, RulesUpdate, Replica> harness(String rules) throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new ReplicationFunction(new RulesUpdate(1, rules, "initial.yaml")), ReplicationFunction.RULES_STATE);
    }

    private static List<String> collectorsOf(List<Replica> out) {
        return out.stream()
                .map(r -> Arrays.stream(r.targets).map(ReplicaTarget::key).collect(Collectors.joining(",")))
                .collect(Collectors.toList());
    }

    @Test
    void emitsOneReplicaPerMatchingDatagramWithItsOriginalSource() throws Exception {
        try (var h = harness(rules("198.18.2.1", "198.18.2.2"))) {
            h.processElement(datagram("198.18.1.1", 514, 1), 1);
            h.processElement(datagram("198.18.1.1", 53, 2), 2);
            List<Replica> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).srcAddr).isEqualTo(IpPrefix.parseAddress("198.18.1.1"));
            assertThat(out.get(0).srcPort).isEqualTo(40000);
            assertThat(collectorsOf(out)).containsExactly("198.18.2.1:514/preserve,198.18.2.2:514/preserve");
        }
    }

    @Test
    void appliesPushedRulesFromTheNextDatagramOnAndKeepsThemOverBadFiles() throws Exception {
        try (var h = harness(rules("198.18.2.1", "198.18.2.2"))) {
            h.processElement(datagram("198.18.1.1", 514, 1), 1);
            h.processBroadcastElement(new RulesUpdate(2, rules("198.18.2.1", "198.18.2.3"), "pushed.yaml"), 2);
            h.processElement(datagram("198.18.1.1", 514, 2), 3);
            h.processBroadcastElement(new RulesUpdate(3, "forward:\n  syslog:\n    port: 514\n", "broken.yaml"), 4);
            h.processElement(datagram("198.18.1.1", 514, 3), 5);
            h.processBroadcastElement(new RulesUpdate(1, rules("198.18.2.9"), "stale.yaml"), 6);
            h.processElement(datagram("198.18.1.1", 514, 4), 7);
            assertThat(collectorsOf(h.extractOutputValues())).containsExactly(
                    "198.18.2.1:514/preserve,198.18.2.2:514/preserve",
                    "198.18.2.1:514/preserve,198.18.2.3:514/preserve",
                    "198.18.2.1:514/preserve,198.18.2.3:514/preserve",
                    "198.18.2.1:514/preserve,198.18.2.3:514/preserve");
        }
    }

    @Test
    void skipsFragmentsAndCopiesNothingWithoutForwardRules() throws Exception {
        try (var h = harness("global:\n  timeout: 30\n")) {
            h.processElement(datagram("198.18.1.1", 514, 1), 1);
            Packet frag = datagram("198.18.1.1", 514, 2);
            frag.fragment = true;
            h.processElement(frag, 2);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
