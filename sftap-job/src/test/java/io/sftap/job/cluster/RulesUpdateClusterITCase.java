package io.sftap.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.ops.FlowScenario;
import io.sftap.job.ops.RecordingAnalyzer;
import io.sftap.job.rules.RulesControlClient;
import io.sftap.job.rules.RulesControlServer;
import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Reason;
import io.sftap.source.wire.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live rule updates on a real standalone cluster: a paced replay runs with {@code --watch-rules};
 * in its middle a bad rules file is refused with file, line and reason, then new rules that move
 * port 8080 from interface alpha to beta are pushed on the control socket. Every event must be on
 * the interface the rules in force chose, no packet lost, the idle flow must time out while the
 * rules source is open, and the job must end with the replay.
 */
class RulesUpdateClusterITCase {
    static final int FLOWS = 60;
    static final int RATE = 100;

    static String rules(int alphaPort, int betaPort) {
        return "global:\n  timeout: 30\n\n"
                + "tcp_default:\n  if: default\n  proto: TCP\n\n"
                + "alpha:\n  proto: TCP\n  if: alpha\n  port: " + alphaPort + "\n  nice: 100\n\n"
                + "beta:\n  proto: TCP\n  if: beta\n  port: " + betaPort + "\n  nice: 100\n";
    }

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void pushedRulesClassifyNewFlowsWhileClassifiedFlowsKeepTheirInterface() throws Exception {
        FlowScenario scenario = FlowScenario.build(FLOWS, 8080, true, true);
        Path pcap = scenario.write(dir.resolve("flows.pcap"));
        Path home = dir.resolve("home");
        Path v1 = Files.writeString(dir.resolve("rules.yaml"), rules(8080, 8081));
        Path v2 = Files.writeString(dir.resolve("rules-v2.yaml"), rules(8081, 8080));
        Path bad = Files.writeString(dir.resolve("bad-rules.yaml"),
                rules(8081, 8080) + "\nbroken:\n  up: '(unclosed'\n  down: ''\n  proto: TCP\n  if: broken\n");
        Map<String, RecordingAnalyzer> analyzers = new LinkedHashMap<>();
        for (InterfaceSpec spec : RulesFile.parse(rules(8080, 8081), "v1").rules.interfaces()) {
            for (String socket : spec.socketPaths()) {
                analyzers.put(socket, new RecordingAnalyzer(home.resolve(socket)));
            }
        }
        assertThat(analyzers).containsKeys("tcp/alpha", "tcp/beta", "tcp/default");

        String badReply;
        String goodReply;
        try (StandaloneCluster cluster = StandaloneCluster.start(18281, 16323, 1, 2)) {
            String job = cluster.submit(List.of("-p", "2"), List.of("--pcap", pcap.toString(), "--home", home.toString(),
                    "-c", v1.toString(), "--watch-rules", "--replay-rate", Integer.toString(RATE),
                    "--wait-analyzers", "60s", "--checkpoint-interval", "2s"));
            RecordingAnalyzer alpha = analyzers.get("tcp/alpha");
            StandaloneCluster.await(Duration.ofSeconds(90), "20 flows through alpha",
                    () -> count(alpha.events(), EventType.DESTROYED) >= 20);
            Path control = home.resolve(RulesControlServer.SOCKET_NAME);
            badReply = RulesControlClient.push(control, Files.readString(bad), bad.toString());
            goodReply = RulesControlClient.push(control, Files.readString(v2), v2.toString());
            StandaloneCluster.await(Duration.ofSeconds(90), "the job to end with the replay",
                    () -> cluster.jobState(job).equals("FINISHED"));
        } finally {
            for (RecordingAnalyzer a : analyzers.values()) {
                a.close();
            }
        }

        assertThat(badReply).matches("ERROR .*bad-rules\\.yaml:\\d+: rule 'broken': .+");
        assertThat(goodReply).isEqualTo("OK v2");

        Map<Integer, String> ifaceOf = new LinkedHashMap<>();
        Map<Integer, List<FlowEvent>> flows = new LinkedHashMap<>();
        for (Map.Entry<String, RecordingAnalyzer> a : analyzers.entrySet()) {
            List<FlowEvent> events = a.getValue().events();
            assertThat(RecordingAnalyzer.duplicates(events)).as("no repeats on %s", a.getKey()).isZero();
            RecordingAnalyzer.byClientPort(events).forEach((port, flow) -> {
                String before = ifaceOf.put(port, a.getKey());
                assertThat(before).as("flow from port %d on one interface only", port).isNull();
                flows.put(port, flow);
            });
        }
        assertThat(flows.keySet()).as("every flow delivered").containsExactlyInAnyOrderElementsOf(scenario.expected().keySet());
        for (FlowScenario.Expected want : scenario.expected().values()) {
            List<FlowEvent> flow = flows.get(want.clientPort());
            assertThat(flow.get(0).type).isEqualTo(EventType.CREATED);
            assertThat(flow.get(flow.size() - 1).type).isEqualTo(EventType.DESTROYED);
            assertThat(RecordingAnalyzer.bytesFrom(flow, Direction.FROM_ENDPOINT1)).as("client bytes of %d", want.clientPort())
                    .isEqualTo(want.fromClient());
            assertThat(RecordingAnalyzer.bytesFrom(flow, Direction.FROM_ENDPOINT2)).as("server bytes of %d", want.clientPort())
                    .isEqualTo(want.fromServer());
        }
        assertThat(ifaceOf.get(FlowScenario.LONG_FLOW_PORT)).as("a classified flow keeps its interface").isEqualTo("tcp/alpha");
        assertThat(ifaceOf.get(FlowScenario.IDLE_FLOW_PORT)).isEqualTo("tcp/default");

        // Short flows run one after another: alpha up to the push, beta after it (the two
        // abstractor subtasks may take the broadcast a moment apart).
        List<String> order = new ArrayList<>();
        for (int i = 0; i < FLOWS; i++) {
            order.add(ifaceOf.get(FlowScenario.FIRST_SHORT_PORT + i));
        }
        int firstBeta = order.indexOf("tcp/beta");
        int lastAlpha = order.lastIndexOf("tcp/alpha");
        assertThat(firstBeta).as("flows after the push use the new rules: %s", order).isBetween(20, FLOWS - 5);
        assertThat(lastAlpha - firstBeta).as("switch-over is quick: %s", order).isLessThan(4);

        // The idle flow timed out in the middle of the replay, while the rules source was open.
        List<RecordingAnalyzer.Received> defaults = analyzers.get("tcp/default").received();
        RecordingAnalyzer.Received timeout = defaults.get(defaults.size() - 1);
        assertThat(timeout.event().type).isEqualTo(EventType.DESTROYED);
        assertThat(timeout.event().reason).isEqualTo(Reason.TIMEOUT);
        long lastShortCreated = analyzers.get("tcp/beta").received().stream()
                .filter(r -> r.event().type == EventType.CREATED).mapToLong(RecordingAnalyzer.Received::arrivalNanos).max().orElseThrow();
        assertThat(timeout.arrivalNanos()).as("timeout fired before the replay ended").isLessThan(lastShortCreated);
    }

    static long count(List<FlowEvent> events, EventType type) {
        return events.stream().filter(e -> e.type == type).count();
    }
}
