package io.sftap.source.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.pcap.CaptureRecord;
import io.sftap.source.pcap.PcapFileReader;
import io.sftap.source.reader.CaptureInput;
import io.sftap.source.split.CaptureSplit;
import io.sftap.source.synth.SampleCapture;
import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.Packet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture on a real interface: a lab (namespaces, veth, a mirrored capture port) built by
 * {@code deploy/lab/lab.sh}, traffic from tcpreplay and from curl against python's http.server.
 * Needs root; installs tcpreplay and curl when missing.
 */
class LiveCaptureITCase {
    private static final int HTTP_PORT = 8080;
    private static LabNetwork lab;
    @TempDir static Path dir;
    private static Path sample;
    private static List<Packet> fileModePackets;
    private static int sampleFrames;

    @BeforeAll
    static void buildLab() throws Exception {
        LabNetwork.requireTool("curl", "curl");
        LabNetwork.requireTool("tcpreplay", "tcpreplay");
        LabNetwork.requireTool("python3", "python3");
        lab = LabNetwork.up("--http", String.valueOf(HTTP_PORT));
        sample = dir.resolve("sample.pcap");
        SampleCapture.write(sample);
        try (LiveReaderHarness file = new LiveReaderHarness(64, CaptureSplit.file("file-0", sample))) {
            file.pollUntil(h -> h.counter("frames") > 0 && h.reader.getNumberOfCurrentlyAssignedSplits() == 0,
                    Duration.ofSeconds(30), "the sample file");
            fileModePackets = withoutTimestamps(file.packets());
            sampleFrames = (int) file.counter("frames");
        }
        assertThat(fileModePackets).hasSizeGreaterThan(50);
    }

    @AfterAll
    static void tearDownLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void deliversTheSamePacketsAsFileModeWithoutLoss() throws Exception {
        String iface = lab.captureInterface();
        try (LiveReaderHarness live = new LiveReaderHarness(64,
                CaptureSplit.liveInterface(iface, LiveCaptureOptions.defaults()))) {
            awaitCapturing(live, iface);
            lab.replay(sample, "--pps=500");
            live.pollUntil(h -> h.counter("frames") >= sampleFrames, Duration.ofSeconds(30), "the replayed frames");
            live.pollUntil(h -> h.gauge("live", iface, "received").orElse(0L) >= sampleFrames,
                    Duration.ofSeconds(10), "pcap_stats to count the frames");
            // Live packets carry the capture clock's time (now), not the file's.
            assertThat(live.packets()).allSatisfy(p ->
                    assertThat(p.timestampNanos).isCloseTo(System.currentTimeMillis() * 1_000_000L,
                            org.assertj.core.data.Offset.offset(TimeUnit.MINUTES.toNanos(5))));
            assertThat(withoutTimestamps(live.packets())).containsExactlyElementsOf(fileModePackets);
            assertThat(live.counter("frames")).isEqualTo(sampleFrames);
            assertThat(live.gauge("live", iface, "received")).contains((long) sampleFrames);
            assertThat(live.gauge("live", iface, "kernel_drops")).contains(0L);
            assertThat(live.gauge("live", iface, "if_drops")).contains(0L);
        }
    }

    @Test
    void seesTheRequestAndResponseOfARealHttpClient() throws Exception {
        String iface = lab.captureInterface();
        LiveCaptureOptions options = LiveCaptureOptions.defaults().withFilter("tcp port " + HTTP_PORT).withImmediate(true);
        try (LiveReaderHarness live = new LiveReaderHarness(64, CaptureSplit.liveInterface(iface, options))) {
            awaitCapturing(live, iface);
            LabNetwork.Result curl = lab.exec("src", "curl", "-sS", "-m", "10", lab.get("HTTP_URL"));
            assertThat(curl.exit).as(curl.output).isZero();
            assertThat(curl.output).contains("sftap lab");
            live.pollUntil(h -> payloads(h).stream().anyMatch(s -> s.startsWith("HTTP/1.0 200"))
                    && payloads(h).stream().anyMatch(s -> s.contains("sftap lab")),
                    Duration.ofSeconds(20), "the HTTP response");
            List<Packet> got = live.packets();
            assertThat(payloads(live)).anyMatch(s -> s.startsWith("GET / HTTP/1.1"));
            assertThat(got).allMatch(p -> p.isTcp() && (p.srcPort == HTTP_PORT || p.dstPort == HTTP_PORT));
            assertThat(got).anyMatch(p -> p.dstPort == HTTP_PORT && p.payload.length == 0); // the SYN
            assertThat(live.counter("drop", DropReason.NOT_IP.metricName())).isZero(); // the filter kept ARP out
        }
    }

    @Test
    void countsFramesLongerThanTheSnaplenAsTruncated() throws Exception {
        String iface = lab.captureInterface();
        int snaplen = 128;
        long longer = framesOfSample(r -> r.length > snaplen);
        assertThat(longer).isPositive();
        try (LiveReaderHarness live = new LiveReaderHarness(64,
                CaptureSplit.liveInterface(iface, LiveCaptureOptions.defaults().withSnaplen(snaplen)))) {
            awaitCapturing(live, iface);
            lab.replay(sample, "--pps=500");
            live.pollUntil(h -> h.counter("frames") >= sampleFrames, Duration.ofSeconds(30), "the replayed frames");
            // Cut TCP segments go on with their length on the wire; anything else cut is dropped.
            assertThat(live.counter("truncated") + live.counter("drop", DropReason.TRUNCATED_CAPTURE.metricName()))
                    .isEqualTo(longer);
            assertThat(live.counter("drop", DropReason.TRUNCATED_CAPTURE.metricName()))
                    .as("the sample's fragments are cut too").isPositive();
            assertThat(live.counter("bytes")).isLessThanOrEqualTo((long) snaplen * sampleFrames);
        }
    }

    @Test
    void aReadOnAnIdleInterfaceReturnsOnWakeUp() throws Exception {
        // A long read timeout: only wakeUp (pcap_breakloop) can end the read quickly.
        LiveCaptureOptions slow = LiveCaptureOptions.defaults().withReadTimeoutMillis(10_000);
        try (InterfaceCaptureInput in = InterfaceCaptureInput.open(lab.captureInterface(), slow, null)) {
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.read(new CaptureRecord(), true);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            long t0 = System.nanoTime();
            in.wakeUp();
            assertThat(read.get(3, TimeUnit.SECONDS)).isEqualTo(CaptureInput.IDLE);
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
        }
    }

    @Test
    void closingAReaderOfAnIdleInterfaceIsQuick() throws Exception {
        String iface = lab.captureInterface();
        LiveReaderHarness live = new LiveReaderHarness(64, CaptureSplit.liveInterface(iface,
                LiveCaptureOptions.defaults().withReadTimeoutMillis(10_000)));
        awaitCapturing(live, iface);
        live.pollFor(Duration.ofMillis(500));
        long t0 = System.nanoTime();
        live.close();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(3));
    }

    @Test
    void refusesAMissingInterfaceNamingTheExistingOnes() {
        assertThatThrownBy(() -> LiveCaptureChecks.check("nosuch0"))
                .hasMessageContaining("interface nosuch0 does not exist")
                .hasMessageContaining("lo")
                .hasMessageContaining(lab.captureInterface());
    }

    @Test
    void explainsMissingCapNetRawAndMissingLibpcapInARealProcess() throws Exception {
        LabNetwork.requireTool("capsh", "libcap2-bin");
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        String check = java + " -cp '" + cp + "' " + LiveCaptureChecks.class.getName() + " lo";
        LabNetwork.Result noRaw = LabNetwork.run(60, "capsh", "--drop=cap_net_raw,cap_net_admin", "--", "-c", check);
        assertThat(noRaw.exit).as(noRaw.output).isEqualTo(1);
        assertThat(noRaw.output).contains("CAP_NET_RAW", "setcap cap_net_raw,cap_net_admin=eip");
        LabNetwork.Result noPcap = LabNetwork.run(60, java, "-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so",
                "-cp", cp, LiveCaptureChecks.class.getName(), "lo");
        assertThat(noPcap.exit).as(noPcap.output).isEqualTo(1);
        assertThat(noPcap.output).contains("apt-get install libpcap0.8");
        LabNetwork.Result ok = LabNetwork.run(60, java, "-cp", cp, LiveCaptureChecks.class.getName(), "lo");
        assertThat(ok.exit).as(ok.output).isZero();
    }

    private static void awaitCapturing(LiveReaderHarness live, String iface) throws Exception {
        live.pollUntil(h -> h.gauge("live", iface, "received").isPresent(), Duration.ofSeconds(20),
                "capture on " + iface + " to start");
    }

    private static List<String> payloads(LiveReaderHarness h) {
        return h.packets().stream().map(p -> new String(p.payload, StandardCharsets.ISO_8859_1))
                .collect(Collectors.toList());
    }

    private static List<Packet> withoutTimestamps(List<Packet> packets) {
        packets.forEach(p -> p.timestampNanos = 0);
        return packets;
    }

    private static long framesOfSample(java.util.function.Predicate<CaptureRecord> which) throws Exception {
        long n = 0;
        try (PcapFileReader r = new PcapFileReader(sample)) {
            CaptureRecord rec = new CaptureRecord();
            while (r.next(rec)) {
                if (which.test(rec)) {
                    n++;
                }
            }
        }
        return n;
    }
}
