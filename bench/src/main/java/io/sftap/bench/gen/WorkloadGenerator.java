package io.sftap.bench.gen;

import io.sftap.source.pcap.PcapWriter;
import io.sftap.source.synth.FrameBuilder;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.Packet;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;

/**
 * Writes a benchmark capture: {@code --flows} sessions, {@code --concurrency} of them open at once
 * (round-robin over slots; a slot starts the next session when its session ends), with the chosen
 * mix of classes, shapes, IPv6, fragments, reordering and retransmission, valid checksums.
 *
 * <p>Memory is O(concurrency) ints, not sessions: a session is a {@link SessionTemplate} plus its
 * id, from which its endpoints and sequence numbers follow. Next to the pcap it writes the expected
 * bytes per flow ({@code .flows.tsv}) and per socket ({@code .expected.properties}).
 *
 * <pre>{@code
 * java io.sftap.bench.gen.WorkloadGenerator --out /tmp/w --flows 1000000 --concurrency 100000
 * }</pre>
 */
public final class WorkloadGenerator {
    private static final byte[][] SERVER_V4 = new byte[AppClass.values().length][];
    private static final byte[][] SERVER_V6 = new byte[AppClass.values().length][];

    static {
        for (AppClass a : AppClass.values()) {
            SERVER_V4[a.ordinal()] = new byte[] {(byte) 192, 0, 2, (byte) (10 + a.ordinal())};
            byte[] v6 = new byte[16];
            v6[0] = 0x20;
            v6[1] = 0x01;
            v6[2] = 0x0d;
            v6[3] = (byte) 0xb8;
            v6[14] = (byte) 0xff;
            v6[15] = (byte) (10 + a.ordinal());
            SERVER_V6[a.ordinal()] = v6;
        }
    }

    private final WorkloadOptions o;
    private final List<SessionTemplate> templates = new ArrayList<>();
    private final int[] classTable = new int[100];
    private final Map<String, SocketTotals> totals = new TreeMap<>();
    private long now = 1_700_000_000_000_000_000L;
    private long frames;
    private long frameBytes;

    WorkloadGenerator(WorkloadOptions options) {
        this.o = options;
        Map<AppClass, Integer> w = options.weights();
        int sum = w.values().stream().mapToInt(Integer::intValue).sum();
        int at = 0;
        double acc = 0;
        for (Map.Entry<AppClass, Integer> e : w.entrySet()) {
            acc += e.getValue() * 100.0 / sum;
            for (; at < Math.round(acc) && at < 100; at++) {
                classTable[at] = e.getKey().ordinal();
            }
        }
        for (; at < 100; at++) {
            classTable[at] = classTable[at - 1];
        }
        // Templates indexed by (class, shape, reordered, retransmitted, fragmented).
        for (AppClass a : AppClass.values()) {
            for (SessionShape s : SessionShape.values()) {
                for (int v = 0; v < 8; v++) {
                    templates.add(SessionTemplate.of(a, s, o.bulkSegments, o.responseBytes,
                            (v & 1) != 0, (v & 2) != 0, (v & 4) != 0));
                }
            }
        }
    }

    public static void main(String[] args) throws IOException {
        WorkloadOptions options = new WorkloadOptions();
        new CommandLine(options).parseArgs(args);
        long start = System.nanoTime();
        Map<String, Long> facts = new WorkloadGenerator(options).write();
        System.err.printf("generator: %s in %.1fs%n", facts, (System.nanoTime() - start) / 1e9);
    }

    /** Writes the capture and the expectations; returns the run-wide facts. */
    Map<String, Long> write() throws IOException {
        Path pcap = sibling(".pcap");
        int slots = (int) Math.min(o.concurrency, o.flows);
        int[] session = new int[slots];
        short[] step = new short[slots];
        long next = 0;
        for (int k = 0; k < slots; k++) {
            session[k] = (int) next++;
        }
        long open = slots;
        long peakOpen = slots;
        try (PcapWriter out = PcapWriter.create(pcap, 1, true);
                Writer table = o.noFlowTable ? Writer.nullWriter() : Files.newBufferedWriter(sibling(".flows.tsv"))) {
            table.write("flow\tclass\tshape\tvariant\tip\tclient\tclient_port\tserver\tserver_port\tsocket"
                    + "\tclient_bytes\tserver_bytes\tframes\n");
            while (open > 0) {
                for (int k = 0; k < slots; k++) {
                    int id = session[k];
                    if (id < 0) {
                        continue;
                    }
                    SessionTemplate t = template(id);
                    emit(out, id, t, t.steps.get(step[k]));
                    if (++step[k] == t.steps.size()) {
                        finish(table, id, t);
                        step[k] = 0;
                        if (next < o.flows) {
                            session[k] = (int) next++;
                        } else {
                            session[k] = -1;
                            open--;
                        }
                    }
                }
            }
        }
        Map<String, Long> facts = new LinkedHashMap<>();
        facts.put("flows", o.flows);
        facts.put("concurrency", peakOpen);
        facts.put("packets", frames);
        facts.put("frame_bytes", frameBytes);
        facts.put("capture_nanos", frames * o.gapNanos);
        SocketTotals.write(sibling(".expected.properties"), totals, facts);
        return facts;
    }

    private Path sibling(String suffix) {
        return o.out.resolveSibling(o.out.getFileName() + suffix);
    }

    /** The template of session {@code id}: its choices follow from a hash of the id and the seed. */
    SessionTemplate template(int id) {
        long h = hash(id);
        AppClass app = AppClass.values()[classTable[(int) Long.remainderUnsigned(h, 100)]];
        boolean tcp = app.protocol == 6;
        boolean bulk = tcp && unit(h, 1) < o.bulkShare;
        boolean reorder = tcp && unit(h, 2) < o.reorderShare;
        boolean retransmit = tcp && unit(h, 3) < o.retransmitShare;
        boolean fragment = !tcp && unit(h, 4) < o.fragmentShare;
        int v = (reorder ? 1 : 0) | (retransmit ? 2 : 0) | (fragment ? 4 : 0);
        return templates.get((app.ordinal() * SessionShape.values().length + (bulk ? 1 : 0)) * 8 + v);
    }

    private boolean ipv6(int id) {
        return unit(hash(id), 5) < o.ipv6Share;
    }

    private long hash(long id) {
        long z = id * 0x9e3779b97f4a7c15L + o.seed;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static double unit(long h, int salt) {
        long z = Long.rotateLeft(h, salt * 11) * 0x94d049bb133111ebL;
        return (z >>> 11) * 0x1.0p-53;
    }

    private byte[] client(int id) {
        if (ipv6(id)) {
            byte[] a = new byte[16];
            a[0] = 0x20;
            a[1] = 0x01;
            a[2] = 0x0d;
            a[3] = (byte) 0xb8;
            a[4] = 0x10;
            a[12] = (byte) (id >>> 24);
            a[13] = (byte) (id >>> 16);
            a[14] = (byte) (id >>> 8);
            a[15] = (byte) id;
            return a;
        }
        int host = id / 40_000;
        return new byte[] {10, (byte) (host >>> 16), (byte) (host >>> 8), (byte) (1 + (host & 0xff) % 254)};
    }

    private static int clientPort(int id) {
        return 20_000 + id % 40_000;
    }

    private byte[] server(int id, AppClass app) {
        return ipv6(id) ? SERVER_V6[app.ordinal()] : SERVER_V4[app.ordinal()];
    }

    private void emit(PcapWriter out, int id, SessionTemplate t, SessionStep s) throws IOException {
        byte[] c = client(id);
        byte[] srv = server(id, t.app);
        int cp = clientPort(id);
        int sp = t.app.serverPort;
        byte[] src = s.fromClient() ? c : srv;
        byte[] dst = s.fromClient() ? srv : c;
        int sport = s.fromClient() ? cp : sp;
        int dport = s.fromClient() ? sp : cp;
        if (t.app.protocol == 6) {
            int clientIsn = (int) hash(id ^ 0x5a5a5a5aL);
            int serverIsn = (int) hash(~id);
            int seq = (s.fromClient() ? clientIsn : serverIsn) + s.seq();
            int ack = s.flags() == io.sftap.source.wire.TcpFlags.SYN ? 0 : (s.fromClient() ? serverIsn : clientIsn) + s.ack();
            frame(out, FrameBuilder.tcp(src, sport, dst, dport, seq, ack, s.flags(), s.payload()));
        } else if (s.fragmentSize() > 0) {
            byte[] l4 = FrameBuilder.udpDatagram(src, sport, dst, dport, s.payload());
            for (int off = 0; off < l4.length; off += s.fragmentSize()) {
                byte[] part = java.util.Arrays.copyOfRange(l4, off, Math.min(l4.length, off + s.fragmentSize()));
                frame(out, FrameBuilder.ip(src, dst, 17, part, off, off + s.fragmentSize() < l4.length, id));
            }
        } else {
            frame(out, FrameBuilder.udp(src, sport, dst, dport, s.payload()));
        }
    }

    private void frame(PcapWriter out, byte[] f) throws IOException {
        out.write(now, f);
        now += o.gapNanos;
        frames++;
        frameBytes += f.length;
    }

    private void finish(Writer table, int id, SessionTemplate t) throws IOException {
        Packet p = new Packet();
        p.ipVersion = (byte) (ipv6(id) ? 6 : 4);
        p.protocol = (byte) t.app.protocol;
        p.srcAddr = client(id);
        p.srcPort = clientPort(id);
        p.dstAddr = server(id, t.app);
        p.dstPort = t.app.serverPort;
        FlowKey key = FlowKey.of(p);
        Direction up = FlowKey.directionOf(p);
        Direction down = up == Direction.FROM_ENDPOINT1 ? Direction.FROM_ENDPOINT2 : Direction.FROM_ENDPOINT1;
        SocketTotals s = totals.computeIfAbsent(t.app.socket, x -> new SocketTotals());
        if (t.app.protocol == 6) {
            s.created++;
            s.destroyed++;
        } else {
            s.dataEvents += 2;
        }
        s.dataBytes += t.clientBytes + t.serverBytes;
        s.fingerprint += FlowFingerprint.of(key, up) * t.clientBytes + FlowFingerprint.of(key, down) * t.serverBytes;
        if (table instanceof BufferedWriter) {
            table.write(id + "\t" + t.app.name().toLowerCase() + "\t" + t.shape.name().toLowerCase() + "\t"
                    + t.variant() + "\tv" + p.ipVersion + "\t" + io.sftap.source.wire.Addresses.format(p.srcAddr)
                    + "\t" + p.srcPort + "\t" + io.sftap.source.wire.Addresses.format(p.dstAddr) + "\t" + p.dstPort
                    + "\t" + t.app.socket + "\t" + t.clientBytes + "\t" + t.serverBytes + "\t" + t.frames() + "\n");
        }
    }
}
