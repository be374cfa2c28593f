package io.sftap.source.live;

import io.sftap.source.PacketSource;
import io.sftap.source.pcap.PcapWriter;
import io.sftap.source.synth.FrameSink;
import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.LinkTypes;
import io.sftap.source.wire.Packet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Drop-rate benchmark of the live capture source alone (not a test): a MiniCluster job
 * {@code PacketSource(interface) -> count -> DiscardingSink} captures a lab port while tcpreplay
 * offers a short-session mix and a bulk mix at rising packet rates, side by side in one run. Prints
 * offered rate, delivered packets and drop percentage, and the highest loss-free rate per mix.
 *
 * <p>Run through {@code deploy/lab/bench-drop-rate.sh} (root). Arguments: seconds per step, then
 * the packet rates to offer ({@code top} for tcpreplay --topspeed).
 */
public final class LiveCaptureBench {
    /** Packets the job delivered to its sink (one JVM: the MiniCluster runs in this process). */
    static final AtomicLong DELIVERED = new AtomicLong();
    private static final Pattern ACTUAL = Pattern.compile("Actual: (\\d+) packets");
    private static final Pattern RATED = Pattern.compile("Rated: [\\d.]+ Bps, [\\d.]+ Mbps, ([\\d.]+) pps");

    private LiveCaptureBench() {}

    /** Counts packets on their way to the discarding sink. */
    static final class CountDelivered implements MapFunction<Packet, Packet> {
        @Override
        public Packet map(Packet p) {
            DELIVERED.incrementAndGet();
            return p;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<String> rates = args.length > 1 ? Arrays.asList(args).subList(1, args.length)
                : List.of("10000", "25000", "50000", "100000", "200000", "top");
        Path dir = Files.createTempDirectory("sftap-bench");
        Map<String, Path> mixes = new LinkedHashMap<>();
        mixes.put("short-sessions", writeMix(dir.resolve("short.pcap"), false));
        mixes.put("bulk", writeMix(dir.resolve("bulk.pcap"), true));
        Map<String, Integer> frames = new LinkedHashMap<>();
        for (Map.Entry<String, Path> m : mixes.entrySet()) {
            frames.put(m.getKey(), countFrames(m.getValue()));
        }
        LabNetwork.requireTool("tcpreplay", "tcpreplay");
        try (LabNetwork lab = LabNetwork.up()) {
            String iface = lab.captureInterface();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.fromSource(PacketSource.builder().setInterfaces(iface).build(),
                            WatermarkStrategy.noWatermarks(), "capture")
                    .map(new CountDelivered())
                    .sinkTo(new DiscardingSink<>());
            JobClient job = env.executeAsync("live-capture-bench");
            try {
                warmUp(lab, mixes.get("short-sessions"));
                System.out.printf("%n| mix | frames/s asked | frames/s offered (tcpreplay) | offered | reached the port "
                        + "| delivered | source drop %% |%n");
                System.out.printf("|---|---|---|---|---|---|---|%n");
                Map<String, Double> bestLossFree = new LinkedHashMap<>();
                for (String rate : rates) {
                    for (Map.Entry<String, Path> m : mixes.entrySet()) {
                        double[] r = step(lab, iface, m.getValue(), frames.get(m.getKey()), rate, seconds);
                        double dropPct = r[3] == 0 ? 0 : 100.0 * Math.max(0, r[3] - r[2]) / r[3];
                        System.out.printf("| %s | %s | %.0f | %.0f | %.0f | %.0f | %.3f |%n",
                                m.getKey(), rate, r[0], r[1], r[3], r[2], dropPct);
                        if (r[2] >= r[3] && r[3] >= r[1]) {
                            bestLossFree.merge(m.getKey(), r[0], Math::max);
                        }
                    }
                }
                System.out.println();
                for (String mix : mixes.keySet()) {
                    System.out.printf("highest loss-free offered rate, %s: %s frames/s%n", mix,
                            bestLossFree.containsKey(mix) ? String.format("%.0f", bestLossFree.get(mix)) : "none");
                }
            } finally {
                job.cancel().get();
            }
        }
    }

    /** Sends a little traffic until the job delivers it, so the capture is open and warm. */
    private static void warmUp(LabNetwork lab, Path pcap) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (DELIVERED.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the capture job delivered nothing within 2 minutes");
            }
            lab.replay(pcap, "--pps=20000", "--limit=2000");
            Thread.sleep(1000);
        }
        lab.replay(pcap, "--pps=20000");
        settle();
    }

    /**
     * One step: offered rate (pps), frames offered, frames delivered, frames that reached the capture
     * port (its rx_packets; frames the lab's mirror path lost never reach the capture at all).
     */
    private static double[] step(LabNetwork lab, String iface, Path pcap, int framesInFile, String rate, int seconds)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--preload-pcap"));
        long want = rate.equals("top") ? 2_000_000L : Long.parseLong(rate) * seconds;
        args.add("--loop=" + Math.max(1, (want + framesInFile - 1) / framesInFile));
        args.add("--limit=" + want);
        args.add(rate.equals("top") ? "--topspeed" : "--pps=" + rate);
        long before = DELIVERED.get();
        long rxBefore = rxPackets(iface);
        LabNetwork.Result r = lab.replay(pcap, args.toArray(new String[0]));
        settle();
        long delivered = DELIVERED.get() - before;
        long reached = rxPackets(iface) - rxBefore;
        return new double[] {number(RATED, r.output), number(ACTUAL, r.output), delivered, reached};
    }

    private static long rxPackets(String iface) throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", iface, "statistics/rx_packets")).trim());
    }

    /** Waits until the delivered count stops moving (the capture has drained its buffer). */
    private static void settle() throws InterruptedException {
        long last = -1;
        int still = 0;
        for (int i = 0; i < 100 && still < 5; i++) {
            Thread.sleep(200);
            long now = DELIVERED.get();
            still = now == last ? still + 1 : 0;
            last = now;
        }
    }

    private static double number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("unexpected tcpreplay output: " + text);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * Short sessions: handshake, a 300-byte request, a 1 KB response, close (10 frames, mostly small).
     * Bulk: sessions each moving 2 MB in full-size segments.
     */
    static Path writeMix(Path file, boolean bulk) throws IOException {
        List<long[]> order = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        FrameSink sink = (ts, frame) -> {
            order.add(new long[] {ts, frames.size()});
            frames.add(frame);
        };
        byte[] server = Addresses.parse("198.18.255.80");
        long t = 1_767_225_600_000_000_000L;
        int sessions = bulk ? 8 : 2000;
        for (int i = 0; i < sessions; i++) {
            byte[] client = Addresses.parse("198.19.0." + (1 + i % 250));
            TcpSessionWriter s = new TcpSessionWriter(sink, client, 20000 + i, server, bulk ? 5001 : 80,
                    t + i * 1_000_000L).step(10_000L).handshake();
            if (bulk) {
                s.clientSends(new byte[100]).serverSends(new byte[2 << 20]);
            } else {
                s.clientSends(new byte[300]).serverSends(new byte[1000]);
            }
            s.close();
        }
        order.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        try (PcapWriter w = PcapWriter.create(file, LinkTypes.ETHERNET, false)) {
            for (long[] o : order) {
                w.write(o[0], frames.get((int) o[1]));
            }
        }
        return file;
    }

    private static int countFrames(Path pcap) throws IOException {
        try (io.sftap.source.pcap.PcapFileReader r = new io.sftap.source.pcap.PcapFileReader(pcap)) {
            io.sftap.source.pcap.CaptureRecord rec = new io.sftap.source.pcap.CaptureRecord();
            int n = 0;
            while (r.next(rec)) {
                n++;
            }
            return n;
        }
    }
}
