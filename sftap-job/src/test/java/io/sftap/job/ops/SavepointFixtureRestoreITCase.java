package io.sftap.job.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.SftapJob;
import io.sftap.job.SftapJobFactory;
import io.sftap.job.SftapJobOptions;
import io.sftap.job.embedded.EmbeddedRunner;
import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.source.wire.Direction;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint made by release 0.1 ({@link SavepointFixture}) restores in this build: the flows
 * that were open continue and every direction's bytes complete exactly what was missing, the flows
 * that had ended stay ended, the rest arrive whole. Fails when a key or state serializer changed
 * incompatibly: that is the point of the fixture.
 */
class SavepointFixtureRestoreITCase {
    static final Path FIXTURE = Path.of("src/test/resources/savepoints/v0.1").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void savepointOfRelease01RestoresAndOpenFlowsComplete() throws Exception {
        FlowScenario scenario = SavepointFixture.writeCapture();
        Properties before = new Properties();
        try (Reader r = Files.newBufferedReader(FIXTURE.resolve(SavepointFixture.DELIVERED))) {
            before.load(r);
        }
        Path rules = Files.writeString(dir.resolve("rules.yaml"), SavepointFixture.RULES);
        SftapJobOptions options = SavepointFixture.options(dir.resolve("home"), rules);
        options.replayRate = null;
        SftapJob job = new SftapJobFactory(options).validate().create();
        Map<String, RecordingAnalyzer> analyzers = SavepointFixture.analyzers(options.home);
        Configuration conf = EmbeddedRunner.configuration(options);
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, FIXTURE.resolve("savepoint").toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // an incompatible state fails at once, with its cause
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(SavepointFixture.PARALLELISM, conf);
        job.attach(env);
        try {
            env.execute(SftapJob.JOB_NAME);
        } finally {
            Thread.sleep(300);
            for (RecordingAnalyzer a : analyzers.values()) {
                a.close();
            }
            Files.deleteIfExists(SavepointFixture.CAPTURE);
        }

        Map<Integer, List<FlowEvent>> now = RecordingAnalyzer.byClientPort(analyzers.get("tcp/web").events());
        int continued = 0;
        for (FlowScenario.Expected want : scenario.expected().values()) {
            String port = Integer.toString(want.clientPort());
            boolean created = Boolean.parseBoolean(before.getProperty(port + ".created", "false"));
            boolean destroyed = Boolean.parseBoolean(before.getProperty(port + ".destroyed", "false"));
            List<FlowEvent> flow = now.getOrDefault(want.clientPort(), List.of());
            if (destroyed) {
                assertThat(flow).as("flow %s ended before the savepoint", port).isEmpty();
                continue;
            }
            assertThat(flow).extracting(e -> e.type).as("flow %s", port).endsWith(EventType.DESTROYED)
                    .containsOnlyOnce(EventType.DESTROYED);
            assertThat(flow.stream().anyMatch(e -> e.type == EventType.CREATED)).as("CREATED of %s once", port)
                    .isEqualTo(!created);
            int clientBefore = Integer.parseInt(before.getProperty(port + ".client", "0"));
            int serverBefore = Integer.parseInt(before.getProperty(port + ".server", "0"));
            assertThat(RecordingAnalyzer.bytesFrom(flow, Direction.FROM_ENDPOINT1)).as("rest of the client bytes of %s", port)
                    .isEqualTo(Arrays.copyOfRange(want.fromClient(), clientBefore, want.fromClient().length));
            assertThat(RecordingAnalyzer.bytesFrom(flow, Direction.FROM_ENDPOINT2)).as("rest of the server bytes of %s", port)
                    .isEqualTo(Arrays.copyOfRange(want.fromServer(), serverBefore, want.fromServer().length));
            if (created) {
                continued++;
            }
        }
        assertThat(continued).as("flows open at the savepoint went on").isPositive();
    }
}
