package io.sftap.job.ops;

import io.sftap.job.SftapJob;
import io.sftap.job.SftapJobFactory;
import io.sftap.job.SftapJobOptions;
import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.embedded.EmbeddedRunner;
import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.source.wire.Direction;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The savepoint fixture of release 0.1: a canonical savepoint of the job stopped in the middle of
 * a paced replay of {@link #scenario()} with flows open, plus what the analyzers had received
 * by then ({@code delivered.properties}). {@code SavepointFixtureRestoreITCase} restores it with
 * every later build: if a state or key serializer changes incompatibly, that test fails.
 *
 * <p>Record a new fixture only for a new release (never replace an old one), with
 * {@code java -cp <test classpath> io.sftap.job.ops.SavepointFixture src/test/resources/savepoints/v0.X}.
 * The capture must sit at {@link #CAPTURE} when recording and restoring: the capture source's
 * state names the file.
 */
public final class SavepointFixture {
    public static final Path CAPTURE = Path.of("/tmp/sftap-savepoint-fixture/flows.pcap");
    public static final String RULES = "global:\n  timeout: 30\n\ntcp_default:\n  if: default\n  proto: TCP\n\n"
            + "web:\n  proto: TCP\n  if: web\n  port: 8080\n";
    public static final int FLOWS = 30;
    public static final int RATE = 60;
    public static final int PARALLELISM = 2;
    public static final String DELIVERED = "delivered.properties";

    private SavepointFixture() {}

    public static FlowScenario scenario() {
        return FlowScenario.build(FLOWS, 8080, true, false);
    }

    /** Job options of the fixture's job with its sockets under {@code home}. */
    public static SftapJobOptions options(Path home, Path rules) {
        SftapJobOptions o = new SftapJobOptions();
        o.pcaps = List.of(CAPTURE);
        o.home = home;
        o.config = rules;
        o.parallelism = PARALLELISM;
        o.replayRate = (double) RATE;
        o.waitAnalyzers = Duration.ofSeconds(60);
        o.checkpointInterval = Duration.ofSeconds(1);
        return o;
    }

    /** Writes the capture to {@link #CAPTURE}. */
    public static FlowScenario writeCapture() throws IOException {
        Files.createDirectories(CAPTURE.getParent());
        FlowScenario s = scenario();
        s.write(CAPTURE);
        return s;
    }

    /** Analyzers on every socket of the fixture's rules. */
    public static Map<String, RecordingAnalyzer> analyzers(Path home) throws Exception {
        Map<String, RecordingAnalyzer> out = new LinkedHashMap<>();
        for (InterfaceSpec spec : RulesFile.parse(RULES, "rules").rules.interfaces()) {
            for (String socket : spec.socketPaths()) {
                out.put(socket, new RecordingAnalyzer(home.resolve(socket)));
            }
        }
        return out;
    }

    /** Records the fixture into {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createTempDirectory("sftap-fixture-");
        writeCapture();
        Path rules = Files.writeString(work.resolve("rules.yaml"), RULES);
        SftapJobOptions options = options(work.resolve("home"), rules);
        SftapJob job = new SftapJobFactory(options).validate().create();
        Map<String, RecordingAnalyzer> analyzers = analyzers(options.home);
        Configuration conf = EmbeddedRunner.configuration(options);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, conf);
        job.attach(env);
        JobClient client = env.executeAsync(SftapJob.JOB_NAME);
        RecordingAnalyzer web = analyzers.get("tcp/web");
        while (web.events().stream().filter(e -> e.type == EventType.DESTROYED).count() < FLOWS / 3) {
            Thread.sleep(100);
        }
        String savepoint = client.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        client.getJobExecutionResult().get();
        Thread.sleep(500);
        for (RecordingAnalyzer a : analyzers.values()) {
            a.close();
        }
        Files.createDirectories(target);
        Path from = Path.of(java.net.URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint));
        Path into = target.resolve("savepoint");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = into.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        writeDelivered(web.events(), target.resolve(DELIVERED));
        System.out.println("fixture written to " + target + " from " + savepoint);
        System.exit(0);
    }

    private static void writeDelivered(List<FlowEvent> events, Path file) throws IOException {
        Properties p = new Properties();
        for (Map.Entry<Integer, List<FlowEvent>> flow : RecordingAnalyzer.byClientPort(events).entrySet()) {
            String port = flow.getKey().toString();
            List<EventType> types = new ArrayList<>();
            flow.getValue().forEach(e -> types.add(e.type));
            p.setProperty(port + ".created", Boolean.toString(types.contains(EventType.CREATED)));
            p.setProperty(port + ".destroyed", Boolean.toString(types.contains(EventType.DESTROYED)));
            p.setProperty(port + ".client", Integer.toString(RecordingAnalyzer.bytesFrom(flow.getValue(), Direction.FROM_ENDPOINT1).length));
            p.setProperty(port + ".server", Integer.toString(RecordingAnalyzer.bytesFrom(flow.getValue(), Direction.FROM_ENDPOINT2).length));
        }
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "what the analyzers received before the fixture's savepoint, per client port");
        }
    }
}
