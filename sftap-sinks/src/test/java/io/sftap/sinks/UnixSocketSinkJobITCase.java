package io.sftap.sinks;

import static io.sftap.sinks.TestAnalyzer.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.sinks.wire.WireEvent;
import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The interface sink in a real job: partitioned by socket over two writers, read by analyzers. */
class UnixSocketSinkJobITCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path home;

    @Test
    void jobDeliversEachSocketsEventsInOrderToItsAnalyzer() throws Exception {
        List<FlowEvent> http = flow("tcp/http", false, IpProtocols.TCP, 40);
        List<FlowEvent> dns = flow("udp/dns", true, IpProtocols.UDP, 40);
        List<FlowEvent> all = new ArrayList<>();
        for (int i = 0; i < http.size(); i++) {
            all.add(http.get(i));
            all.add(dns.get(i));
        }
        UnixSocketSink sink = UnixSocketSink.builder().setHome(home).setSockets(List.of("tcp/http", "udp/dns"))
                .setWaitForAnalyzers(TIMEOUT).build();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData(all).setParallelism(1)
                .partitionCustom(new SocketPartitioner(), e -> e.socket)
                .sinkTo(sink).name("interfaces").uid("interfaces");
        JobClient job = env.executeAsync("interface sink job");

        await(() -> Files.exists(home.resolve("tcp/http")) && Files.exists(home.resolve("udp/dns")), TIMEOUT,
                () -> "sockets created");
        try (TestAnalyzer httpAnalyzer = TestAnalyzer.reading(home.resolve("tcp/http"), false, true);
                TestAnalyzer dnsAnalyzer = TestAnalyzer.reading(home.resolve("udp/dns"), true, true)) {
            job.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            await(() -> httpAnalyzer.ended() && dnsAnalyzer.ended(), TIMEOUT, () -> "sockets closed at end of job");
            assertSame(httpAnalyzer, http);
            assertSame(dnsAnalyzer, dns);
        }
        assertThat(home.resolve("tcp/http")).doesNotExist();
        assertThat(home.resolve("udp/dns")).doesNotExist();
    }

    private static void assertSame(TestAnalyzer analyzer, List<FlowEvent> sent) {
        assertThat(analyzer.failure()).isNull();
        List<WireEvent> got = analyzer.events();
        assertThat(got).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            FlowEvent s = sent.get(i);
            FlowEvent r = got.get(i).event();
            assertThat(r.type).isEqualTo(s.type);
            assertThat(r.key).isEqualTo(s.key);
            assertThat(r.timestampNanos).isEqualTo(s.timestampNanos);
            assertThat(r.data).isEqualTo(s.type == EventType.DATA ? s.data : new byte[0]);
        }
    }

    private static List<FlowEvent> flow(String socket, boolean binary, byte protocol, int n) {
        FlowKey k = new FlowKey(0, 6, protocol, Addresses.parse("2001:db8::10"), 53,
                Addresses.parse("2001:db8::20"), 33333);
        long t = 1_600_000_000_000_000_000L;
        List<FlowEvent> events = new ArrayList<>();
        events.add(FlowEvent.created(k, t));
        for (int i = 1; i < n - 1; i++) {
            byte[] data = (socket + " message " + i).getBytes(StandardCharsets.US_ASCII);
            events.add(FlowEvent.data(k, i % 2 == 0 ? Direction.FROM_ENDPOINT1 : Direction.FROM_ENDPOINT2,
                    Match.NONE, data, t + i * 1_000L));
        }
        events.add(FlowEvent.destroyed(k, Reason.NORMAL, t + n * 1_000L));
        String iface = socket.substring(socket.indexOf('/') + 1);
        events.forEach(e -> e.routeTo(iface, socket, binary, true));
        return events;
    }
}
