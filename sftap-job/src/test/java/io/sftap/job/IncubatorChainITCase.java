package io.sftap.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.embedded.EmbeddedRunner;
import io.sftap.job.metrics.SummaryReporter;
import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.source.PacketSource;
import io.sftap.source.live.LabNetwork;
import io.sftap.source.pcap.PcapWriter;
import io.sftap.source.synth.FrameBuilder;
import io.sftap.source.synth.FrameSink;
import io.sftap.source.synth.SampleCapture;
import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.Addresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole SF-TAP chain: a capture replayed into the cell incubator (TAP mode, two cells), each
 * cell's frames captured live by its own sftap job, every socket read by an analyzer. The two cells
 * together deliver exactly the events one job delivers over the same capture read from the file
 * (timestamps aside), and no flow reaches both cells. Needs root.
 *
 * <pre>
 *   [ns sfchain-PID]                                                [root namespace]
 *    tcpreplay -> in0p ==veth== in0 -> sftap-incubator -> c0 ==veth== sfcPID-0  <- sftap job A
 *                                                      -> c1 ==veth== sfcPID-1  <- sftap job B
 * </pre>
 */
class IncubatorChainITCase {
    private static final int CELLS = 2;

    @TempDir
    Path dir;

    // Every wait below has its own deadline (no JUnit @Timeout: its interrupt would stop the cleanup).
    @Test
    void twoCellsTogetherDeliverTheEventsOfOneJobAndNoFlowTwice() throws Exception {
        requireRoot();
        LabNetwork.requireTool("tcpreplay", "tcpreplay");
        Path capture = dir.resolve("chain.pcap");
        int frames = ChainCapture.write(capture, 200);
        Map<String, List<String>> expected = byFlow(fileModeEvents(capture));
        assertThat(expected.keySet()).as("the capture's flows").hasSizeGreaterThan(200);

        try (ChainNetwork net = ChainNetwork.up(CELLS)) {
            Path incubatorLog = dir.resolve("incubator.log");
            Process incubator = net.startIncubator(incubatorBinary(), incubatorLog);
            List<Cell> cells = new ArrayList<>();
            try {
                SummaryReporter previous = SummaryReporter.latest();
                for (int i = 0; i < CELLS; i++) {
                    Cell cell = Cell.start(i, net.cellInterface(i), dir.resolve("cell" + i));
                    cell.reporter = awaitNewReporter(previous);
                    previous = cell.reporter;
                    cells.add(cell);
                }
                Path probe = probeCapture(dir.resolve("probe.pcap"));
                // Non-IP frames go to cell 0: once job A counts one, the incubator and job A both read.
                int probesThroughIncubator = awaitCapturing(cells.get(0), () -> net.replay("in0p", probe));
                for (Cell cell : cells.subList(1, CELLS)) { // the others: straight onto their cell port
                    awaitCapturing(cell, () -> net.replay("c" + cell.index, probe));
                }
                String replay = net.replay("in0p", capture, "--topspeed");
                assertThat(replay).as("tcpreplay sent every frame")
                        .containsPattern("Successful packets:\\s+" + frames + "\\s")
                        .containsPattern("Failed packets:\\s+0\\s");

                long want = expected.values().stream().mapToLong(List::size).sum();
                long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                while (cells.stream().mapToLong(c -> c.analyzers.total()).sum() < want
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(1000); // anything beyond the expected events would show up now
                for (Cell cell : cells) {
                    cell.job.cancel().get(30, TimeUnit.SECONDS);
                }

                IncubatorReport report = net.stopIncubator(incubator, incubatorLog);
                assertThat(report.rx).as("incubator received everything").isEqualTo(frames + probesThroughIncubator);
                assertThat(report.cellFrames.stream().mapToLong(Long::longValue).sum())
                        .as("every frame sent to exactly one cell").isEqualTo(report.rx);
                assertThat(report.sendErrors).isZero();
                assertThat(report.kernelDrops).isZero();

                List<Map<String, List<String>>> perCell = new ArrayList<>();
                for (Cell cell : cells) {
                    cell.analyzers.awaitEnd(30);
                    perCell.add(byFlow(cell.received()));
                }
                System.out.printf("chain: %d frames replayed; incubator rx=%d per cell %s; flows per cell %s%n", frames,
                        report.rx, report.cellFrames, perCell.stream().map(Map::size).toList());
                Set<String> seen = new HashSet<>();
                Map<String, List<String>> union = new TreeMap<>();
                for (int i = 0; i < CELLS; i++) {
                    assertThat(perCell.get(i)).as("cell %d got a share of the flows", i).hasSizeGreaterThan(50);
                    for (Map.Entry<String, List<String>> flow : perCell.get(i).entrySet()) {
                        assertThat(seen.add(flowOnly(flow.getKey()))).as("flow %s reached two cells", flow.getKey())
                                .isTrue();
                        union.put(flow.getKey(), flow.getValue());
                    }
                }
                assertThat(union).isEqualTo(expected);
            } finally {
                for (Cell cell : cells) {
                    cell.close();
                }
                if (incubator.isAlive()) {
                    incubator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** One cell: a live sftap job on the cell's interface, with its own home and analyzers. */
    private static final class Cell implements AutoCloseable {
        final int index;
        final JobClient job;
        final AnalyzerReaders analyzers;
        SummaryReporter reporter;

        private Cell(int index, JobClient job, AnalyzerReaders analyzers) {
            this.index = index;
            this.job = job;
            this.analyzers = analyzers;
        }

        static Cell start(int index, String iface, Path dir) throws Exception {
            SftapJobOptions options = new SftapJobOptions();
            options.ifaces = List.of(iface);
            options.home = dir.resolve("home");
            options.parallelism = 1;
            options.state = SftapJobOptions.StateBackend.heap;
            options.checkpointInterval = Duration.ofSeconds(1);
            options.checkpointDir = dir.resolve("checkpoints");
            options.waitAnalyzers = Duration.ofSeconds(60);
            SftapJobFactory factory = new SftapJobFactory(options).validate();
            AnalyzerReaders analyzers = new AnalyzerReaders(options.home, factory.config());
            JobClient job = new EmbeddedRunner(options, Duration.ZERO).submit(factory.create());
            return new Cell(index, job, analyzers);
        }

        long frames() {
            return reporter.snapshot().getOrDefault("frames", 0L);
        }

        /** Everything the analyzers read, with the socket each came from (the wire does not say). */
        List<FlowEvent> received() {
            List<FlowEvent> out = new ArrayList<>();
            analyzers.received.forEach((socket, events) -> events.forEach(
                    e -> out.add(e.routeTo(e.iface, socket, e.binary, e.body))));
            return out;
        }

        @Override
        public void close() {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception alreadyEnded) {
                // cancelled before, or failed: its result is what the assertions saw
            }
            analyzers.close();
        }
    }

    /** Each MiniCluster opens its own reporter; the newest one belongs to the job just submitted. */
    private static SummaryReporter awaitNewReporter(SummaryReporter previous) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (SummaryReporter.latest() == null || SummaryReporter.latest() == previous) {
            assertThat(System.nanoTime()).as("the job's metrics reporter never opened").isLessThan(deadline);
            Thread.sleep(20);
        }
        return SummaryReporter.latest();
    }

    /** Replays the probe until the cell's job counts a frame; returns how many probes were sent. */
    private static int awaitCapturing(Cell cell, ProbeSender send) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int sent = 0;
        while (cell.frames() == 0) {
            assertThat(System.nanoTime()).as("cell %d's live capture never started", cell.index).isLessThan(deadline);
            send.send();
            sent++;
            Thread.sleep(200);
        }
        return sent;
    }

    /** Sends one probe frame somewhere on the way to a cell. */
    @FunctionalInterface
    private interface ProbeSender {
        void send() throws Exception;
    }

    /** A capture of one non-IP frame (ethertype 0x88b5, local experimental): never a flow. */
    private static Path probeCapture(Path path) throws IOException {
        byte[] frame = FrameBuilder.udp(Addresses.parse("198.18.255.1"), 9, Addresses.parse("198.18.255.2"), 9,
                new byte[0]);
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xb5;
        try (PcapWriter w = PcapWriter.create(path, 1, false)) {
            w.write(0, frame);
        }
        return path;
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
                            + (e.type == EventType.DESTROYED ? " reason=" + e.reason : "")
                            + " " + HexFormat.of().formatHex(e.data));
        }
        return out;
    }

    /** The flow part of a {@link #byFlow} key ("socket flow"). */
    private static String flowOnly(String socketAndFlow) {
        return socketAndFlow.substring(socketAndFlow.indexOf(' ') + 1);
    }

    static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the incubator chain test builds network namespaces and needs root; "
                    + "run it as root (e.g. in CI or a VM)");
        }
    }

    /** incubator-native/build/sftap-incubator, built with make when missing (the reactor builds it later). */
    static Path incubatorBinary() throws IOException, InterruptedException {
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path incubatorDir = d.resolve("incubator-native");
            if (Files.isRegularFile(incubatorDir.resolve("Makefile"))) {
                Path binary = incubatorDir.resolve("build/sftap-incubator");
                if (!Files.isExecutable(binary)) {
                    LabNetwork.Result make = LabNetwork.run(300, "make", "-s", "-C", incubatorDir.toString(), "all");
                    assertThat(make.exit).as("make -C incubator-native: %s", make.output).isZero();
                }
                return binary;
            }
        }
        throw new IllegalStateException("incubator-native/ not found above " + start);
    }

    /** Counters from the incubator's final report. */
    static final class IncubatorReport {
        long rx;
        long kernelDrops;
        long sendErrors;
        final List<Long> cellFrames = new ArrayList<>();

        static IncubatorReport parse(String text) {
            IncubatorReport r = new IncubatorReport();
            int fin = text.lastIndexOf("[final");
            assertThat(fin).as("the incubator's final report in:\n%s", text).isNotNegative();
            String last = text.substring(fin);
            r.rx = number(last, "\\brx=(\\d+)");
            r.kernelDrops = number(last, "\\bkernel_drops=(\\d+)");
            r.sendErrors = number(last, "\\bsend_errors=(\\d+)");
            Matcher m = Pattern.compile("cell \\d+ \\S+: frames=(\\d+)").matcher(last);
            while (m.find()) {
                r.cellFrames.add(Long.parseLong(m.group(1)));
            }
            return r;
        }

        private static long number(String text, String regex) {
            Matcher m = Pattern.compile(regex).matcher(text);
            assertThat(m.find()).as("%s in the incubator's report:\n%s", regex, text).isTrue();
            return Long.parseLong(m.group(1));
        }
    }

    /**
     * The chain's network, torn down by name on close: a namespace holding the replay port (in0p),
     * the incubator's input (in0) and its cell ports (c0, c1...), whose peers sfcPID-K are in the
     * root namespace where the jobs capture. No addresses and no IPv6, so only replayed frames cross.
     */
    static final class ChainNetwork implements AutoCloseable {
        final String ns;
        final String prefix;
        final int cells;

        private ChainNetwork(String ns, String prefix, int cells) {
            this.ns = ns;
            this.prefix = prefix;
            this.cells = cells;
        }

        static ChainNetwork up(int cells) throws IOException, InterruptedException {
            long pid = ProcessHandle.current().pid() % 100_000;
            ChainNetwork net = new ChainNetwork("sfchain-" + pid, "sfc" + pid + "-", cells);
            net.close(); // leftovers of a crashed run with the same PID
            try {
                net.ip("netns", "add", net.ns);
                net.sh("ip netns exec " + net.ns + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1"
                        + " net.ipv6.conf.default.disable_ipv6=1");
                net.ip("-n", net.ns, "link", "set", "lo", "up");
                net.ip("-n", net.ns, "link", "add", "name", "in0", "type", "veth", "peer", "name", "in0p");
                for (int i = 0; i < cells; i++) {
                    String outside = net.cellInterface(i);
                    net.ip("link", "add", "name", outside, "type", "veth", "peer", "name", "c" + i, "netns", net.ns);
                    net.sh("sysctl -qw net.ipv6.conf." + outside + ".disable_ipv6=1");
                    net.ip("link", "set", outside, "up");
                    net.ip("-n", net.ns, "link", "set", "c" + i, "up");
                }
                net.ip("-n", net.ns, "link", "set", "in0", "up");
                net.ip("-n", net.ns, "link", "set", "in0p", "up");
                return net;
            } catch (RuntimeException | IOException | InterruptedException e) {
                net.close();
                throw e;
            }
        }

        /** The root-namespace end of cell {@code i}'s veth pair, where its job captures. */
        String cellInterface(int i) {
            return prefix + i;
        }

        Process startIncubator(Path binary, Path log) throws IOException {
            List<String> outs = new ArrayList<>();
            for (int i = 0; i < cells; i++) {
                outs.add("c" + i);
            }
            // ip netns exec execs the incubator: the process we hold is the incubator itself.
            return new ProcessBuilder("ip", "netns", "exec", ns, binary.toString(), "-i", "in0",
                    "-o", String.join(",", outs), "--threads", "2", "--stats-interval", "0")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        /** SIGTERM, then the final report it prints on the way out. */
        IncubatorReport stopIncubator(Process incubator, Path log) throws Exception {
            incubator.destroy();
            assertThat(incubator.waitFor(20, TimeUnit.SECONDS)).as("incubator stops on SIGTERM").isTrue();
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(incubator.exitValue()).as("incubator exit status; output:\n%s", text).isZero();
            return IncubatorReport.parse(text);
        }

        /** Sends {@code pcap} out of {@code iface} (inside the namespace) with tcpreplay. */
        String replay(String iface, Path pcap, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "tcpreplay", "--intf1=" + iface));
            cmd.addAll(Arrays.asList(args));
            cmd.add(pcap.toString());
            LabNetwork.Result r = LabNetwork.run(120, cmd.toArray(new String[0]));
            assertThat(r.exit).as("tcpreplay: %s", r.output).isZero();
            return r.output;
        }

        private void ip(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("ip"));
            cmd.addAll(Arrays.asList(args));
            LabNetwork.Result r = LabNetwork.run(30, cmd.toArray(new String[0]));
            if (r.exit != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.output);
            }
        }

        private void sh(String command) throws IOException, InterruptedException {
            LabNetwork.Result r = LabNetwork.run(30, "sh", "-c", command);
            if (r.exit != 0) {
                throw new IllegalStateException(command + " failed: " + r.output);
            }
        }

        /** Deletes the namespace (and with it every veth pair) and any root-side end left over. */
        @Override
        public void close() throws IOException, InterruptedException {
            LabNetwork.run(30, "ip", "netns", "del", ns);
            for (int i = 0; i < cells; i++) {
                LabNetwork.run(30, "sh", "-c", "! ip link show " + cellInterface(i) + " >/dev/null 2>&1"
                        + " || ip link del " + cellInterface(i));
            }
        }
    }

    /**
     * The chain's capture: sftap's sample plus {@code sessions} generated ones that overlap in time:
     * HTTP, TLS, SSH (reset), SMTP and unclassified TCP over IPv4 and IPv6, DNS over UDP, and UDP
     * datagrams in IPv4 and IPv6 fragments (some last fragment first). Every TCP session closes, so
     * file mode and live capture end every flow the same way.
     */
    static final class ChainCapture {
        private static final long SESSION_GAP_NANOS = 2_000_000L;

        /** Writes the capture and returns its number of frames. */
        static int write(Path path, int sessions) throws IOException {
            List<long[]> order = new ArrayList<>();
            List<byte[]> frames = new ArrayList<>();
            FrameSink collect = (ts, frame) -> {
                order.add(new long[] {ts, frames.size()});
                frames.add(frame);
            };
            SampleCapture.frames(collect);
            for (int i = 0; i < sessions; i++) {
                session(collect, i, SampleCapture.START_NANOS + 10_000_000_000L + i * SESSION_GAP_NANOS);
            }
            order.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1]));
            try (PcapWriter w = PcapWriter.create(path, 1, false)) {
                for (long[] o : order) {
                    w.write(o[0], frames.get((int) o[1]));
                }
            }
            return frames.size();
        }

        private static void session(FrameSink sink, int i, long t) {
            boolean v6 = (i / 8) % 2 == 1;
            byte[] client = v6 ? Addresses.parse(String.format("2001:db8:c::%x", i + 1))
                    : Addresses.parse("10.1." + (i / 250) + "." + (i % 250 + 1));
            byte[] server = v6 ? Addresses.parse(String.format("2001:db8:5::%x", i % 7 + 1))
                    : Addresses.parse("203.0.113." + (i % 7 + 1));
            int port = 20_000 + i;
            String n = Integer.toString(i);
            switch (i % 8) {
                case 0 -> tcp(sink, client, port, server, 80, t)
                        .clientSends(ascii("GET /item/" + n + " HTTP/1.1\r\nHost: shop.example\r\n\r\n"))
                        .serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + "h".repeat(3000)))
                        .close();
                case 1 -> tcp(sink, client, port, server, 443, t)
                        .clientSends(hex("1603010045" + "01000041" + "0303" + String.format("%064x", i)
                                + "000002c02f0100" + "00".repeat(20)))
                        .serverSends(hex("1603030031" + "0200002d" + "0303" + "22".repeat(32) + "00c02f00"
                                + "00".repeat(4)))
                        .clientSends(hex("1703030010" + "cd".repeat(16)))
                        .close();
                case 2 -> tcp(sink, client, port, server, 22, t)
                        .serverSends(ascii("SSH-2.0-OpenSSH_9.2p1 cell-" + n + "\r\n"))
                        .clientSends(ascii("SSH-2.0-OpenSSH_9.6\r\n"))
                        .reset();
                case 3 -> tcp(sink, client, port, server, 25, t)
                        .serverSends(ascii("220 mx" + n + ".example ESMTP\r\n"))
                        .clientSends(ascii("EHLO c" + n + ".example\r\n"))
                        .serverSends(ascii("250 mx" + n + ".example\r\n"))
                        .clientSends(ascii("QUIT\r\n"))
                        .serverSends(ascii("221 Bye\r\n"))
                        .close();
                case 4 -> tcp(sink, client, port, server, 7000 + i % 3, t)
                        .clientSends(ascii("hello " + n + " " + "z".repeat(2000)))
                        .serverSends(ascii("ok " + n))
                        .close();
                case 5 -> {
                    String question = "0463656c6c036f72670000010001"; // cell.org, type A, class IN
                    byte[] query = hex(String.format("%04x", i) + "01000001000000000000" + question);
                    byte[] answer = hex(String.format("%04x", i) + "81800001000000000000" + question);
                    sink.frame(t, FrameBuilder.udp(client, port, server, 53, query));
                    sink.frame(t + 300_000, FrameBuilder.udp(server, 53, client, port, answer));
                }
                case 6 -> fragmented(sink, client, port, server, t, i, i % 3 == 0);
                default -> {
                    sink.frame(t, FrameBuilder.udp(client, port, server, 9000, ascii("ping " + n)));
                    sink.frame(t + 200_000, FrameBuilder.udp(server, 9000, client, port, ascii("pong " + n)));
                    sink.frame(t + 400_000, FrameBuilder.udp(client, port, server, 9000, ascii("bye " + n)));
                }
            }
        }

        private static TcpSessionWriter tcp(FrameSink sink, byte[] client, int cport, byte[] server, int sport,
                long t) {
            return new TcpSessionWriter(sink, client, cport, server, sport, t).mss(1200).step(150_000L).handshake();
        }

        /** One UDP datagram of about 3 KB in fragments of 1200 bytes, the last one first when asked. */
        private static void fragmented(FrameSink sink, byte[] src, int port, byte[] dst, long t, int id,
                boolean lastFirst) {
            byte[] datagram = FrameBuilder.udpDatagram(src, port, dst, 514,
                    ascii("<14>chain " + id + " " + "y".repeat(3000)));
            List<byte[]> parts = new ArrayList<>();
            for (int off = 0; off < datagram.length; off += 1200) {
                int end = Math.min(datagram.length, off + 1200);
                parts.add(FrameBuilder.ip(src, dst, 17, Arrays.copyOfRange(datagram, off, end), off,
                        end < datagram.length, 1000 + id));
            }
            if (lastFirst) {
                parts.add(0, parts.remove(parts.size() - 1));
            }
            for (int k = 0; k < parts.size(); k++) {
                sink.frame(t + k * 50_000L, parts.get(k));
            }
        }

        private static byte[] ascii(String s) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }

        private static byte[] hex(String s) {
            return HexFormat.of().parseHex(s);
        }
    }
}
