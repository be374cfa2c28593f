package io.sftap.job.ops;

import io.sftap.source.pcap.PcapWriter;
import io.sftap.source.synth.FrameSink;
import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.Addresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A synthetic capture for operations tests, with the bytes every TCP direction must deliver:
 * {@code shortFlows} sequential connections to {@code port} one second apart (request of
 * {@link #REQUEST_BYTES}, response of {@link #RESPONSE_BYTES}, FIN), plus optionally a long
 * connection to the same port (the server greets, so it is classified at once; then the client
 * sends a chunk every second from start to end), and an idle
 * connection to {@link #IDLE_PORT} that goes silent after one request (it times out after the
 * rules' TCP timeout in capture time).
 */
public final class FlowScenario {
    public static final long START_NANOS = 1_767_225_600_000_000_000L;
    public static final long SPACING_NANOS = 1_000_000_000L;
    public static final int REQUEST_BYTES = 2000;
    public static final int RESPONSE_BYTES = 4000;
    public static final int LONG_FLOW_PORT = 29999;
    public static final int IDLE_FLOW_PORT = 29998;
    public static final int IDLE_PORT = 9090;
    public static final int FIRST_SHORT_PORT = 30000;

    /** What one connection must deliver: client→server and server→client bytes. */
    public record Expected(int clientPort, int serverPort, byte[] fromClient, byte[] fromServer) {}

    private final Map<Integer, Expected> expected = new LinkedHashMap<>();
    private final List<long[]> order = new ArrayList<>();
    private final List<byte[]> frames = new ArrayList<>();
    private int packets;

    private FlowScenario() {}

    public static FlowScenario build(int shortFlows, int port, boolean longFlow, boolean idleFlow) {
        FlowScenario s = new FlowScenario();
        byte[] client = Addresses.parse("10.1.0.1");
        byte[] server = Addresses.parse("10.2.0.1");
        FrameSink sink = s::add;
        if (longFlow) {
            TcpSessionWriter w = new TcpSessionWriter(sink, client, LONG_FLOW_PORT, server, port, START_NANOS)
                    .step(SPACING_NANOS / 2);
            byte[] welcome = ascii("welcome\n");
            w.handshake().serverSends(welcome); // both sides spoke: classified at once
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int k = 0; k < shortFlows; k++) {
                byte[] chunk = ascii("long flow chunk " + k + "\n");
                w.clientSends(chunk);
                sent.writeBytes(chunk);
            }
            w.close();
            s.expected.put(LONG_FLOW_PORT, new Expected(LONG_FLOW_PORT, port, sent.toByteArray(), welcome));
        }
        if (idleFlow) {
            byte[] request = ascii("hello, then silence\n");
            new TcpSessionWriter(sink, client, IDLE_FLOW_PORT, server, IDLE_PORT, START_NANOS + SPACING_NANOS / 3)
                    .handshake().clientSends(request);
            s.expected.put(IDLE_FLOW_PORT, new Expected(IDLE_FLOW_PORT, IDLE_PORT, request, new byte[0]));
        }
        for (int i = 0; i < shortFlows; i++) {
            int clientPort = FIRST_SHORT_PORT + i;
            byte[] request = payload("request", i, REQUEST_BYTES);
            byte[] response = payload("response", i, RESPONSE_BYTES);
            new TcpSessionWriter(sink, client, clientPort, server, port, START_NANOS + (i + 1) * SPACING_NANOS + 1_000_000L)
                    .handshake().clientSends(request).serverSends(response).close();
            s.expected.put(clientPort, new Expected(clientPort, port, request, response));
        }
        return s;
    }

    private void add(long ts, byte[] frame) {
        order.add(new long[] {ts, frames.size()});
        frames.add(frame);
        packets++;
    }

    /** Writes the capture (Ethernet, nanosecond pcap), frames merged by time. */
    public Path write(Path path) throws IOException {
        List<long[]> sorted = new ArrayList<>(order);
        sorted.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1]));
        try (PcapWriter w = PcapWriter.create(path, 1, true)) {
            for (long[] o : sorted) {
                w.write(o[0], frames.get((int) o[1]));
            }
        }
        return path;
    }

    public Map<Integer, Expected> expected() {
        return expected;
    }

    public int packets() {
        return packets;
    }

    private static byte[] payload(String what, int flow, int size) {
        StringBuilder b = new StringBuilder(size + 64);
        int line = 0;
        while (b.length() < size) {
            b.append(what).append(" of flow ").append(flow).append(", line ").append(line++).append('\n');
        }
        return ascii(b.substring(0, size));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
