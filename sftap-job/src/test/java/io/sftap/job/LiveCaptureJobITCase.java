package io.sftap.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.embedded.EmbeddedRunner;
import io.sftap.job.metrics.SummaryReporter;
import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.source.PacketSource;
import io.sftap.source.live.LabNetwork;
import io.sftap.source.pcap.PcapWriter;
import io.sftap.source.synth.FrameBuilder;
import io.sftap.source.synth.SampleCapture;
import io.sftap.source.wire.Addresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture through the whole job: the sample capture replayed with tcpreplay into a lab made
 * of network namespaces, captured on the lab's mirror port, gives the same events on the sockets as
 * the same capture read from the file (timestamps aside). Needs root.
 */
class LiveCaptureJobITCase {
    @TempDir
    Path dir;

    @Test
    void replayCapturedLiveGivesTheEventsOfFileMode() throws Exception {
        Path sample = dir.resolve("sample.pcap");
        SampleCapture.write(sample);
        Map<String, List<String>> expected = byFlow(fileModeEvents(sample));

        try (LabNetwork lab = LabNetwork.up()) {
            SftapJobOptions options = new SftapJobOptions();
            options.ifaces = List.of(lab.captureInterface());
            options.home = dir.resolve("home");
            options.parallelism = 2;
            options.checkpointInterval = Duration.ofSeconds(1);
            options.checkpointDir = dir.resolve("checkpoints");
            options.waitAnalyzers = Duration.ofSeconds(60);
            SftapJobFactory factory = new SftapJobFactory(options).validate();
            try (AnalyzerReaders analyzers = new AnalyzerReaders(options.home, factory.config())) {
                JobClient job = new EmbeddedRunner(options, Duration.ZERO).submit(factory.create());
                try {
                    awaitCapturing(lab, dir.resolve("probe.pcap"));
                    lab.replay(sample, "--topspeed");
                    long want = expected.values().stream().mapToLong(List::size).sum();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (analyzers.total() < want && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    Thread.sleep(1000); // anything beyond the expected events would show up now
                } finally {
                    job.cancel().get();
                }
                analyzers.awaitEnd(60);
                List<FlowEvent> live = new ArrayList<>();
                analyzers.received.forEach((socket, events) -> events.forEach(e -> live.add(e.routeTo(
                        e.iface, socket, e.binary, e.body)))); // the wire does not say which socket
                assertThat(byFlow(live)).isEqualTo(expected);
            }
        }
    }

    /** Sends a non-IP probe frame until the capture counts a frame: the live source is reading. */
    private static void awaitCapturing(LabNetwork lab, Path probe) throws Exception {
        byte[] frame = FrameBuilder.udp(Addresses.parse("198.18.255.1"), 9, Addresses.parse("198.18.255.2"), 9,
                new byte[0]);
        frame[12] = (byte) 0x88; // ethertype 0x88b5, local experimental: never IP, never a flow
        frame[13] = (byte) 0xb5;
        try (PcapWriter w = PcapWriter.create(probe, 1, false)) {
            w.write(0, frame);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (frames() == 0) {
            assertThat(System.nanoTime()).as("live capture never started").isLessThan(deadline);
            lab.replay(probe);
            Thread.sleep(200);
        }
    }

    private static long frames() {
        SummaryReporter r = SummaryReporter.latest();
        return r == null ? 0 : r.snapshot().getOrDefault("frames", 0L);
    }

    private static List<FlowEvent> fileModeEvents(Path pcap) throws Exception {
        SftapConfig config = RulesFile.defaults();
        SftapJob job = new SftapJob(PacketSource.builder().setFiles(pcap).build(), null,
                new RulesUpdate(1, config.sourceText, config.sourceName), config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
        List<FlowEvent> out = new ArrayList<>();
        try (CloseableIterator<FlowEvent> events = job.events(env).executeAndCollect("file mode")) {
            events.forEachRemaining(out::add);
        }
        return out;
    }

    /** Events per socket and flow, in order, with everything but their timestamps. */
    private static Map<String, List<String>> byFlow(List<FlowEvent> events) {
        Map<String, List<String>> out = new TreeMap<>();
        for (FlowEvent e : events) {
            out.computeIfAbsent(e.socket + " " + e.key, k -> new ArrayList<>())
                    .add(e.type + " from=" + e.from + " match=" + e.match
                            + (e.type == io.sftap.sinks.event.EventType.DESTROYED ? " reason=" + e.reason : "")
                            + " " + HexFormat.of().formatHex(e.data));
        }
        return out;
    }
}
