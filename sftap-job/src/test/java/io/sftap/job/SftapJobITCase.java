package io.sftap.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.embedded.EmbeddedRunner;
import io.sftap.job.metrics.SummaryReporter;
import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Reason;
import io.sftap.source.synth.SampleCapture;
import io.sftap.source.wire.Direction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job, embedded as {@code sftap run} runs it (MiniCluster, RocksDB, checkpoints), over
 * the sample capture, with a real reading analyzer on every interface socket.
 */
class SftapJobITCase {
    @TempDir
    Path dir;

    /** Each socket's subtask owns it (as on a cluster), or every subtask shares one server (embedded). */
    @ParameterizedTest(name = "one process: {0}")
    @ValueSource(booleans = {false, true})
    void sampleCaptureReachesAnalyzersOnEverySocketCompleteAndInOrder(boolean oneProcess) throws Exception {
        Path pcap = dir.resolve("sample.pcap");
        SampleCapture.write(pcap);
        SftapJobOptions options = new SftapJobOptions();
        options.pcaps = List.of(pcap);
        options.home = dir.resolve("home");
        options.parallelism = 2;
        options.checkpointInterval = Duration.ofMillis(200);
        options.checkpointDir = dir.resolve("checkpoints");
        options.waitAnalyzers = Duration.ofSeconds(60);
        SftapJobFactory factory = new SftapJobFactory(options).validate();
        if (oneProcess) {
            factory.inOneProcess();
        }
        SftapJob job = factory.create();

        AnalyzerReaders analyzers = new AnalyzerReaders(options.home, factory.config());
        int exit = new EmbeddedRunner(options, Duration.ZERO).run(job);
        analyzers.awaitEnd(60);
        analyzers.close();
        Map<String, List<FlowEvent>> received = analyzers.received;

        assertThat(exit).isZero();
        List<FlowEvent> http = received.get("tcp/http");
        assertThat(count(http, EventType.CREATED)).as("IPv4 keep-alive, IPv6, reordered").isEqualTo(3);
        assertThat(count(http, EventType.DESTROYED)).isEqualTo(3);
        assertThat(sentBy(http, 40001)).isEqualTo(
                "GET /index.html HTTP/1.1\r\nHost: example.org\r\nUser-Agent: sftap-sample\r\n\r\n"
                        + "GET /news HTTP/1.1\r\nHost: example.org\r\n\r\n");
        assertThat(sentBy(http, 40006)).as("reordered segments delivered in order")
                .isEqualTo("GET /reordered HTTP/1.0\r\nHost: example.org\r\n\r\n");
        assertThat(sentBy(received.get("tcp/ssh"), 22)).isEqualTo("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
        assertThat(last(received.get("tcp/ssh")).reason).isEqualTo(Reason.RESET);
        assertThat(last(received.get("tcp/smtp")).reason).isEqualTo(Reason.NORMAL);
        assertThat(received.get("tcp/ssl")).extracting(e -> e.type).contains(EventType.CREATED, EventType.DESTROYED);
        assertThat(received.get("udp/dns_udp")).hasSize(2).allSatisfy(e -> assertThat(e.type).isEqualTo(EventType.DATA));
        assertThat(received.get("udp/default")).as("the fragmented syslog datagram, whole")
                .singleElement()
                .satisfies(e -> assertThat(new String(e.data, StandardCharsets.ISO_8859_1))
                        .startsWith("<134>Jan  1 00:00:06 router").hasSize(3042));

        long delivered = analyzers.total();
        Map<String, Long> counters = SummaryReporter.latest().snapshot();
        assertThat(counters.get("events_out")).as("nothing lost between the job and its analyzers")
                .isEqualTo(delivered);
        assertThat(counters.getOrDefault("drop.no_analyzer", 0L)).isZero();
        assertThat(counters.getOrDefault("drop.not_owned", 0L)).isZero();
        assertThat(counters.get("connects")).as("each analyzer counted once").isEqualTo(analyzers.connections());
        assertThat(counters.get("datagrams_reassembled")).isEqualTo(1);
    }

    private static long count(List<FlowEvent> events, EventType type) {
        return events.stream().filter(e -> e.type == type).count();
    }

    private static FlowEvent last(List<FlowEvent> events) {
        return events.get(events.size() - 1);
    }

    /** The bytes sent from {@code port}, in delivery order. */
    private static String sentBy(List<FlowEvent> events, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FlowEvent e : events.stream().filter(e -> e.type == EventType.DATA).collect(Collectors.toList())) {
            int from = e.from == Direction.FROM_ENDPOINT1 ? e.key.port1 : e.key.port2;
            if (from == port) {
                out.writeBytes(e.data);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
