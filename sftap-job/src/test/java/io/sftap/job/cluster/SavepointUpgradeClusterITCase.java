package io.sftap.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.ops.FlowScenario;
import io.sftap.job.ops.RecordingAnalyzer;
import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.source.wire.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade on a real standalone cluster: a paced replay is stopped with a savepoint ({@code flink
 * stop --savepointPath}) while flows are open, and the same jar is started from it ({@code flink
 * run -s}). The open flows continue: every direction's bytes arrive complete, in order, once.
 */
class SavepointUpgradeClusterITCase {
    static final int FLOWS = 90;
    static final int RATE = 80;

    @TempDir
    Path dir;

    @Test
    @Timeout(200)
    void openFlowsContinueAfterStopWithSavepointAndRunFromIt() throws Exception {
        FlowScenario scenario = FlowScenario.build(FLOWS, 8080, true, false);
        Path pcap = scenario.write(dir.resolve("flows.pcap"));
        Path home = dir.resolve("home");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), FailureRecoveryClusterITCase.RULES);
        Map<String, RecordingAnalyzer> analyzers = new LinkedHashMap<>();
        for (InterfaceSpec spec : RulesFile.parse(FailureRecoveryClusterITCase.RULES, "rules").rules.interfaces()) {
            for (String socket : spec.socketPaths()) {
                analyzers.put(socket, new RecordingAnalyzer(home.resolve(socket)));
            }
        }
        RecordingAnalyzer web = analyzers.get("tcp/web");
        List<String> jobArgs = List.of("--pcap", pcap.toString(), "--home", home.toString(), "-c", rules.toString(),
                "--replay-rate", Integer.toString(RATE), "--wait-analyzers", "60s", "--checkpoint-interval", "2s");
        String savepoint;
        int deliveredBeforeStop;
        try (StandaloneCluster cluster = StandaloneCluster.start(18481, 16523, 1, 2)) {
            String job = cluster.submit(List.of("-p", "2"), jobArgs);
            StandaloneCluster.await(Duration.ofSeconds(90), "15 flows delivered",
                    () -> RulesUpdateClusterITCase.count(web.events(), EventType.DESTROYED) >= 15);
            String out = cluster.flink(Duration.ofSeconds(90), "stop", "--savepointPath",
                    dir.resolve("savepoints").toUri().toString(), job);
            Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(out);
            assertThat(m.find()).as("flink stop output: %s", out).isTrue();
            savepoint = m.group(1);
            StandaloneCluster.await(Duration.ofSeconds(30), "the job to stop", () -> cluster.jobState(job).equals("FINISHED"));
            deliveredBeforeStop = (int) RulesUpdateClusterITCase.count(web.events(), EventType.DESTROYED);
            assertThat(deliveredBeforeStop).as("stopped mid-replay").isLessThan(FLOWS - 10);

            String upgraded = cluster.submit(List.of("-p", "2", "-s", savepoint), jobArgs);
            StandaloneCluster.await(Duration.ofSeconds(120), "the upgraded job to finish",
                    () -> cluster.jobState(upgraded).equals("FINISHED"));
            assertThat(cluster.rest("/jobs/" + upgraded + "/checkpoints")).contains("\"is_savepoint\":true");
        } finally {
            for (RecordingAnalyzer a : analyzers.values()) {
                a.close();
            }
        }

        List<FlowEvent> events = web.events();
        assertThat(RecordingAnalyzer.duplicates(events)).as("a savepoint stop repeats nothing").isZero();
        Map<Integer, List<FlowEvent>> flows = RecordingAnalyzer.byClientPort(events);
        assertThat(flows.keySet()).containsExactlyInAnyOrderElementsOf(scenario.expected().keySet());
        for (FlowScenario.Expected want : scenario.expected().values()) {
            List<FlowEvent> flow = flows.get(want.clientPort());
            assertThat(flow).extracting(e -> e.type).as("flow %d", want.clientPort())
                    .startsWith(EventType.CREATED).endsWith(EventType.DESTROYED)
                    .containsOnlyOnce(EventType.CREATED, EventType.DESTROYED);
            assertThat(RecordingAnalyzer.bytesFrom(flow, Direction.FROM_ENDPOINT1)).isEqualTo(want.fromClient());
            assertThat(RecordingAnalyzer.bytesFrom(flow, Direction.FROM_ENDPOINT2)).isEqualTo(want.fromServer());
        }
        List<RecordingAnalyzer.Received> longFlow = web.received().stream()
                .filter(r -> r.event().key.port1 == FlowScenario.LONG_FLOW_PORT).toList();
        assertThat(longFlow.get(0).connection()).as("the long flow was open across the upgrade")
                .isLessThan(longFlow.get(longFlow.size() - 1).connection());
    }
}
