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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure recovery on a real standalone cluster: a paced replay (about 20 s) runs, the TaskManager
 * is killed with SIGKILL in its middle, a new one is started, and the job must restore its latest
 * checkpoint and deliver every TCP direction completely and in order to analyzers that reconnect:
 * with repeats allowed in the default at-least-once mode, with none in exactly-once mode.
 */
class FailureRecoveryClusterITCase {
    static final int FLOWS = 130;
    static final int RATE = 80;
    static final String RULES = "global:\n  timeout: 30\n\ntcp_default:\n  if: default\n  proto: TCP\n\n"
            + "web:\n  proto: TCP\n  if: web\n  port: 8080\n";

    static StandaloneCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.start(18381, 16423, 1, 2);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What one run saw. */
    record Run(Map<Integer, List<FlowEvent>> flows, FlowScenario scenario, int duplicates, long recoveryMillis,
            long restoredCheckpoint) {}

    @Test
    @Timeout(180)
    void atLeastOnceDeliversEveryDirectionCompletelyAfterTaskManagerLoss() throws Exception {
        Run run = replayKillingTheTaskManager("at-least-once");
        assertComplete(run, true);
        System.out.printf("at-least-once: recovery %d ms (kill to first event after restore), %d repeated events%n",
                run.recoveryMillis(), run.duplicates());
    }

    @Test
    @Timeout(180)
    void exactlyOnceDeliversEveryEventOnceAfterTaskManagerLoss() throws Exception {
        Run run = replayKillingTheTaskManager("exactly-once");
        assertComplete(run, false);
        assertThat(run.duplicates()).as("no event twice").isZero();
        List<Long> delays = releaseDelays(cluster.taskManagerLogs());
        assertThat(delays).isNotEmpty();
        System.out.printf("exactly-once: recovery %d ms, release delay of the oldest event per batch: "
                        + "mean %.0f ms, max %d ms over %d batches (checkpoint interval 2 s)%n",
                run.recoveryMillis(), delays.stream().mapToLong(Long::longValue).average().orElse(0),
                delays.stream().mapToLong(Long::longValue).max().orElse(0), delays.size());
    }

    private Run replayKillingTheTaskManager(String delivery) throws Exception {
        FlowScenario scenario = FlowScenario.build(FLOWS, 8080, false, false);
        Path pcap = scenario.write(dir.resolve("flows.pcap"));
        Path home = dir.resolve("home");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), RULES);
        Map<String, RecordingAnalyzer> analyzers = new LinkedHashMap<>();
        for (InterfaceSpec spec : RulesFile.parse(RULES, "rules").rules.interfaces()) {
            for (String socket : spec.socketPaths()) {
                analyzers.put(socket, new RecordingAnalyzer(home.resolve(socket)));
            }
        }
        RecordingAnalyzer web = analyzers.get("tcp/web");
        long recoveryMillis;
        long restored;
        try {
            String job = cluster.submit(List.of("-p", "2"), List.of("--pcap", pcap.toString(), "--home", home.toString(),
                    "-c", rules.toString(), "--replay-rate", Integer.toString(RATE), "--wait-analyzers", "60s",
                    "--checkpoint-interval", "2s", "--delivery", delivery));
            StandaloneCluster.await(Duration.ofSeconds(90), "a checkpoint and 40 flows delivered",
                    () -> cluster.completedCheckpoints(job) >= 2
                            && RulesUpdateClusterITCase.count(web.events(), EventType.DESTROYED) >= 40);
            assertThat(RulesUpdateClusterITCase.count(web.events(), EventType.DESTROYED)).as("killed mid-replay")
                    .isLessThan(FLOWS - 30);
            long killedAt = System.nanoTime();
            int connectionsBefore = web.connections();
            cluster.killTaskManager(1);
            cluster.startTaskManager();
            StandaloneCluster.await(Duration.ofSeconds(120), "events after the restore",
                    () -> web.received().stream().anyMatch(r -> r.connection() > connectionsBefore));
            long firstAfter = web.received().stream().filter(r -> r.connection() > connectionsBefore)
                    .mapToLong(RecordingAnalyzer.Received::arrivalNanos).min().orElseThrow();
            recoveryMillis = (firstAfter - killedAt) / 1_000_000;
            restored = cluster.restoredCheckpoint(job);
            StandaloneCluster.await(Duration.ofSeconds(120), "the job to finish", () -> cluster.jobState(job).equals("FINISHED"));
        } finally {
            for (RecordingAnalyzer a : analyzers.values()) {
                a.close();
            }
        }
        assertThat(restored).as("restored from a checkpoint").isPositive();
        List<FlowEvent> events = web.events();
        return new Run(RecordingAnalyzer.byClientPort(RecordingAnalyzer.distinct(events)), scenario,
                RecordingAnalyzer.duplicates(events), recoveryMillis, restored);
    }

    private static void assertComplete(Run run, boolean repeatsAllowed) {
        assertThat(run.flows().keySet()).as("every flow").containsExactlyInAnyOrderElementsOf(run.scenario().expected().keySet());
        for (FlowScenario.Expected want : run.scenario().expected().values()) {
            List<FlowEvent> flow = run.flows().get(want.clientPort());
            assertThat(flow).extracting(e -> e.type).as("flow %d", want.clientPort())
                    .startsWith(EventType.CREATED).endsWith(EventType.DESTROYED)
                    .containsOnlyOnce(EventType.CREATED, EventType.DESTROYED);
            assertThat(RecordingAnalyzer.bytesFrom(flow, Direction.FROM_ENDPOINT1)).as("client bytes of %d", want.clientPort())
                    .isEqualTo(want.fromClient());
            assertThat(RecordingAnalyzer.bytesFrom(flow, Direction.FROM_ENDPOINT2)).as("server bytes of %d", want.clientPort())
                    .isEqualTo(want.fromServer());
        }
        assertThat(repeatsAllowed || run.duplicates() == 0).isTrue();
    }

    private static List<Long> releaseDelays(String logs) {
        Matcher m = Pattern.compile("released batch #\\d+ of subtask \\d+: \\d+ events, \\d+ bytes; the oldest waited (\\d+) ms")
                .matcher(logs);
        List<Long> out = new ArrayList<>();
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }
}
