package io.sftap.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sftap.analyzer.http.HttpAnalyzer;
import io.sftap.analyzer.sdk.AnalyzerEvent;
import io.sftap.analyzer.sdk.EventType;
import io.sftap.analyzer.sdk.Format;
import io.sftap.analyzer.sdk.InterfaceClient;
import io.sftap.analyzer.sdk.LoopbackWriter;
import io.sftap.analyzer.tunnel.HttpConnectTunnel;
import io.sftap.job.embedded.EmbeddedRunner;
import io.sftap.job.metrics.SummaryReporter;
import io.sftap.source.pcap.PcapWriter;
import io.sftap.source.synth.FrameSink;
import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.Addresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The analyzers against the real job: a capture file → {@code sftap run} (embedded MiniCluster)
 * → interface sockets → the HTTP analyzer's JSON, the CONNECT tunnel analyzer re-injecting
 * through the L7 loopback, and a looping analyzer stopped by the hop limit.
 */
class AnalyzersEndToEndITCase {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final long T0 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
    static final byte[] CLIENT = Addresses.parse("192.0.2.10");
    static final byte[] WEB = Addresses.parse("198.51.100.80");
    static final byte[] PROXY = Addresses.parse("198.51.100.3");

    static final String RULES = String.join("\n",
            "global:",
            "  home: /tmp/unused",
            "  hop_limit: 3",
            "loopback7:",
            "  if: loopback7",
            "  format: text",
            "tcp_default:",
            "  if: default",
            "  proto: TCP",
            "http_proxy:",
            "  up: '^CONNECT [^ \\r\\n]+ HTTP/1\\.[01]\\r?\\n'",
            "  down: ''",
            "  proto: TCP",
            "  if: http_proxy",
            "  nice: 50",
            "http:",
            "  up: '^[A-Z]+ [^ \\r\\n]+ HTTP/1\\.[01]\\r?\\n'",
            "  down: ''",
            "  proto: TCP",
            "  if: http",
            "  nice: 100",
            "loop:",
            "  proto: TCP",
            "  if: loop",
            "  port: 7777",
            "  nice: 1000",
            "");

    @TempDir
    Path dir;

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The HTTP sessions, 10 s apart, each ending with FIN or RST. */
    Path httpCapture() throws IOException {
        Path pcap = dir.resolve("http.pcap");
        List<long[]> order = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        FrameSink w = (ts, frame) -> {
            order.add(new long[] {ts, frames.size()});
            frames.add(frame);
        };
        {
            long t = T0;
            // keep-alive and pipelined: two requests in one segment, then both responses
            new TcpSessionWriter(w, CLIENT, 40001, WEB, 80, t).handshake()
                    .clientSends(ascii("GET /a HTTP/1.1\r\nHost: example.org\r\n\r\nGET /b HTTP/1.1\r\nHost: example.org\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
                    .clientSends(ascii("GET /c HTTP/1.1\r\nHost: example.org\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"))
                    .close();
            // chunked response with trailers
            new TcpSessionWriter(w, CLIENT, 40002, WEB, 80, t + 10_000_000_000L).handshake()
                    .clientSends(ascii("GET /stream HTTP/1.1\r\nHost: example.org\r\nTE: trailers\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                            + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n"))
                    .close();
            // HEAD, 204 and 304: no bodies although HEAD's answer announces one
            new TcpSessionWriter(w, CLIENT, 40003, WEB, 80, t + 20_000_000_000L).handshake()
                    .clientSends(ascii("HEAD /big HTTP/1.1\r\nHost: example.org\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"))
                    .clientSends(ascii("DELETE /item HTTP/1.1\r\nHost: example.org\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.1 204 No Content\r\n\r\n"))
                    .clientSends(ascii("GET /cached HTTP/1.1\r\nHost: example.org\r\nIf-None-Match: \"v1\"\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n"))
                    .close();
            // cut mid-response: 4 of 10 body bytes, then a reset
            new TcpSessionWriter(w, CLIENT, 40004, WEB, 80, t + 30_000_000_000L).handshake()
                    .clientSends(ascii("GET /cut HTTP/1.1\r\nHost: example.org\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123"))
                    .reset();
            // a CONNECT tunnel to a literal IP with plain HTTP inside
            new TcpSessionWriter(w, CLIENT, 40005, PROXY, 3128, t + 40_000_000_000L).handshake()
                    .clientSends(ascii("CONNECT 203.0.113.7:8080 HTTP/1.1\r\nHost: 203.0.113.7:8080\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.1 200 Connection established\r\n\r\n"))
                    .clientSends(ascii("GET /inner HTTP/1.1\r\nHost: 203.0.113.7\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\ninner"))
                    .close();
        }
        write(pcap, order, frames);
        return pcap;
    }

    static void write(Path pcap, List<long[]> order, List<byte[]> frames) throws IOException {
        order.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1]));
        try (PcapWriter out = PcapWriter.create(pcap, 1, false)) {
            for (long[] o : order) {
                out.write(o[0], frames.get((int) o[1]));
            }
        }
    }

    SftapJobOptions options(Path pcap) throws IOException {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, RULES);
        SftapJobOptions options = new SftapJobOptions();
        options.pcaps = List.of(pcap);
        options.config = rules;
        options.home = dir.resolve("home");
        options.parallelism = 2;
        options.state = SftapJobOptions.StateBackend.heap;
        options.checkpointInterval = Duration.ZERO;
        options.waitAnalyzers = Duration.ofSeconds(60);
        return options;
    }

    /** Runs the job; {@code analyzers} starts the analyzers once the sockets exist. */
    void runJob(SftapJobOptions options, Consumer<Path> analyzers) throws Exception {
        SftapJobFactory factory = new SftapJobFactory(options).validate();
        SftapJob job = factory.create();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new EmbeddedRunner(options, Duration.ZERO).run(job);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path home = factory.home();
        List<Path> expected = new ArrayList<>();
        factory.sockets().forEach(s -> expected.add(home.resolve(s)));
        expected.add(factory.loopbackSocket());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!expected.stream().allMatch(Files::exists)) {
            assertThat(System.nanoTime()).as("sockets " + expected + " appear").isLessThan(deadline);
            assertThat(run).isNotCompletedExceptionally();
            Thread.sleep(20);
        }
        analyzers.accept(home);
        assertThat(run.get(120, TimeUnit.SECONDS)).isZero();
    }

    /** Reads and ignores an interface (the sink waits for an analyzer on every socket). */
    static CompletableFuture<Void> drain(Path home, String iface) {
        return CompletableFuture.runAsync(() -> {
            try (InterfaceClient c = InterfaceClient.builder().setHome(home).setInterface(iface)
                    .setReconnect(false).setListener((s, e) -> {}).build()) {
                c.start();
                c.awaitTermination();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static CompletableFuture<Integer> cli(Object command, String... args) {
        return CompletableFuture.supplyAsync(() -> new CommandLine(command).execute(args));
    }

    @Test
    void httpAnalyzerReportsEveryExchangeIncludingTheOneInsideAConnectTunnel() throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        List<CompletableFuture<?>> running = new ArrayList<>();
        runJob(options(httpCapture()), home -> {
            running.add(cli(new HttpAnalyzer(new PrintStream(json, true, StandardCharsets.UTF_8)),
                    "--home", home.toString(), "--if", "http", "--once"));
            running.add(cli(new HttpConnectTunnel(), "--home", home.toString(), "--once"));
            running.add(drain(home, "default"));
            running.add(drain(home, "loop"));
        });
        for (CompletableFuture<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        List<JsonNode> actual = new ArrayList<>();
        for (String line : json.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                actual.add(MAPPER.readTree(line));
            }
        }
        // flows arrive from several sockets and subtasks: order by request time, then uri
        actual.sort(Comparator.comparing((JsonNode n) -> n.at("/request/time").decimalValue())
                .thenComparing(n -> n.at("/request/uri").asText()));

        assertSameExchanges(actual, expectedHttp());
    }

    /**
     * Compares the analyzer's objects with the expected ones: times within 1 µs of the capture
     * time (the interfaces' text time is a decimal with about 100 ns resolution at today's
     * epoch, and the SDK keeps microseconds), everything else exactly.
     */
    static void assertSameExchanges(List<JsonNode> actual, List<JsonNode> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            ObjectNode a = actual.get(i).deepCopy();
            ObjectNode e = expected.get(i).deepCopy();
            for (String side : List.of("request", "response")) {
                if (e.get(side).isObject()) {
                    double want = T0 / 1e9 + e.get(side).get("time").asDouble();
                    assertThat(a.get(side).get("time").asDouble()).as(i + " " + side + " time")
                            .isCloseTo(want, org.assertj.core.data.Offset.offset(1.5e-6));
                    ((ObjectNode) a.get(side)).remove("time");
                    ((ObjectNode) e.get(side)).remove("time");
                }
            }
            assertThat(a).as("exchange " + i).isEqualTo(e);
        }
    }

    static List<JsonNode> expectedHttp() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String s : EXPECTED_HTTP) {
            out.add(MAPPER.readTree(s.replace('\'', '"')));
        }
        return out;
    }

    static final String C40001 = "'client':{'ip':'192.0.2.10','port':40001},'server':{'ip':'198.51.100.80','port':80},"
            + "'hop':0,'l3':'ipv4',";

    /** Written from the capture above; times are seconds after T0. */
    static final String[] EXPECTED_HTTP = {
        // keep-alive + pipelining: /a and /b in one segment, both answers in one segment
        "{" + C40001 + "'request':{'time':0.0003,'method':'GET','uri':'/a','version':'HTTP/1.1',"
                + "'headers':{'host':'example.org'},'body_length':0,'chunked':false,'complete':true},"
                + "'response':{'time':0.0005,'version':'HTTP/1.1','status':200,'reason':'OK',"
                + "'headers':{'content-length':'2'},'body_length':2,'chunked':false,'complete':true},'incomplete':false}",
        "{" + C40001 + "'request':{'time':0.0003,'method':'GET','uri':'/b','version':'HTTP/1.1',"
                + "'headers':{'host':'example.org'},'body_length':0,'chunked':false,'complete':true},"
                + "'response':{'time':0.0005,'version':'HTTP/1.1','status':404,'reason':'Not Found',"
                + "'headers':{'content-length':'0'},'body_length':0,'chunked':false,'complete':true},'incomplete':false}",
        "{" + C40001 + "'request':{'time':0.0007,'method':'GET','uri':'/c','version':'HTTP/1.1',"
                + "'headers':{'host':'example.org'},'body_length':0,'chunked':false,'complete':true},"
                + "'response':{'time':0.0009,'version':'HTTP/1.1','status':200,'reason':'OK',"
                + "'headers':{'content-length':'3'},'body_length':3,'chunked':false,'complete':true},'incomplete':false}",
        // chunked with a trailer: 11 body bytes after de-chunking, the trailer reported
        "{" + C40001.replace("40001", "40002") + "'request':{'time':10.0003,'method':'GET','uri':'/stream',"
                + "'version':'HTTP/1.1','headers':{'host':'example.org','te':'trailers'},'body_length':0,"
                + "'chunked':false,'complete':true},'response':{'time':10.0005,'version':'HTTP/1.1','status':200,"
                + "'reason':'OK','headers':{'transfer-encoding':'chunked','trailer':'X-Checksum'},"
                + "'trailers':{'x-checksum':'42'},'body_length':11,'chunked':true,'complete':true},'incomplete':false}",
        // HEAD: Content-Length 1000 announced, no body follows; 204 and 304 have none either
        "{" + C40001.replace("40001", "40003") + "'request':{'time':20.0003,'method':'HEAD','uri':'/big',"
                + "'version':'HTTP/1.1','headers':{'host':'example.org'},'body_length':0,'chunked':false,'complete':true},"
                + "'response':{'time':20.0005,'version':'HTTP/1.1','status':200,'reason':'OK',"
                + "'headers':{'content-length':'1000'},'body_length':0,'chunked':false,'complete':true},'incomplete':false}",
        "{" + C40001.replace("40001", "40003") + "'request':{'time':20.0007,'method':'DELETE','uri':'/item',"
                + "'version':'HTTP/1.1','headers':{'host':'example.org'},'body_length':0,'chunked':false,'complete':true},"
                + "'response':{'time':20.0009,'version':'HTTP/1.1','status':204,'reason':'No Content',"
                + "'headers':{},'body_length':0,'chunked':false,'complete':true},'incomplete':false}",
        "{" + C40001.replace("40001", "40003") + "'request':{'time':20.0011,'method':'GET','uri':'/cached',"
                + "'version':'HTTP/1.1','headers':{'host':'example.org','if-none-match':'\\'v1\\''},'body_length':0,"
                + "'chunked':false,'complete':true},'response':{'time':20.0013,'version':'HTTP/1.1','status':304,"
                + "'reason':'Not Modified','headers':{'etag':'\\'v1\\''},'body_length':0,'chunked':false,"
                + "'complete':true},'incomplete':false}",
        // cut by a reset after 4 of 10 body bytes
        "{" + C40001.replace("40001", "40004") + "'request':{'time':30.0003,'method':'GET','uri':'/cut',"
                + "'version':'HTTP/1.1','headers':{'host':'example.org'},'body_length':0,'chunked':false,'complete':true},"
                + "'response':{'time':30.0005,'version':'HTTP/1.1','status':200,'reason':'OK',"
                + "'headers':{'content-length':'10'},'body_length':4,'chunked':false,'complete':false},'incomplete':true}",
        // inside the CONNECT tunnel: client to the literal target, re-injected with hop 1
        "{'client':{'ip':'192.0.2.10','port':40005},'server':{'ip':'203.0.113.7','port':8080},'hop':1,'l3':'ipv4',"
                + "'request':{'time':40.0007,'method':'GET','uri':'/inner','version':'HTTP/1.1',"
                + "'headers':{'host':'203.0.113.7'},'body_length':0,'chunked':false,'complete':true},"
                + "'response':{'time':40.0009,'version':'HTTP/1.1','status':200,'reason':'OK',"
                + "'headers':{'content-length':'5'},'body_length':5,'chunked':false,'complete':true},'incomplete':false}",
    };

    @Test
    void aLoopingAnalyzerStopsAtTheHopLimitAndTheDropsAreCounted() throws Exception {
        Path pcap = dir.resolve("loop.pcap");
        List<long[]> order = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        new TcpSessionWriter((ts, frame) -> {
            order.add(new long[] {ts, frames.size()});
            frames.add(frame);
        }, CLIENT, 40100, WEB, 7777, T0).handshake().clientSends(ascii("ping")).serverSends(ascii("pong")).close();
        write(pcap, order, frames);
        Map<Integer, Integer> eventsByHop = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> running = new ArrayList<>();
        runJob(options(pcap), home -> {
            running.add(CompletableFuture.runAsync(() -> loopBack(home, eventsByHop)));
            running.add(drain(home, "default"));
            running.add(drain(home, "http"));
            running.add(drain(home, "http_proxy"));
        });
        for (CompletableFuture<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }

        assertThat(eventsByHop.keySet()).as("hop 0 captured, 1..3 re-injected, 4 past the limit")
                .containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(eventsByHop.get(3)).as("the flow is whole at every hop").isEqualTo(eventsByHop.get(0));
        Map<String, Long> counters = SummaryReporter.latest().snapshot();
        assertThat(counters.get("ignored.hop_limit")).as("every event re-injected from hop 3 was dropped")
                .isEqualTo(eventsByHop.get(3).longValue());
    }

    /** An analyzer that writes every event of {@code loop} back to the loopback, unchanged. */
    static void loopBack(Path home, Map<Integer, Integer> eventsByHop) {
        try (LoopbackWriter writer = LoopbackWriter.connect(home, Format.TEXT);
                InterfaceClient c = InterfaceClient.builder().setHome(home).setInterface("loop")
                        .setReconnect(false).setListener((s, e) -> reinject(writer, e, eventsByHop)).build()) {
            c.start();
            c.awaitTermination();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void reinject(LoopbackWriter w, AnalyzerEvent e, Map<Integer, Integer> eventsByHop) {
        eventsByHop.merge(e.flow().hop(), 1, Integer::sum);
        try {
            if (e.event() == EventType.CREATED) {
                w.created(e.flow(), e.header().time());
            } else if (e.event() == EventType.DATA) {
                w.data(e.flow(), e.header().from(), e.data(), e.header().time());
            } else {
                w.destroyed(e.flow(), e.header().time());
            }
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
