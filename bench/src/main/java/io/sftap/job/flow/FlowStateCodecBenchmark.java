package io.sftap.job.flow;

import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.reassembly.TcpConnectionCodec;
import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.FrameDecoder;
import io.sftap.source.wire.Packet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link FlowStateCodec} against the first release's java.io-stream implementation of the same
 * layout (kept here as {@code legacy*}), on a classified open HTTP flow: before/after in one run.
 * Lives in the flow package to reach the state's fields.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FlowStateCodecBenchmark {
    private FlowState state;
    private byte[] bytes;

    @Setup
    public void setUp() throws Exception {
        SftapConfig config = RulesFile.defaults();
        List<byte[]> frames = new ArrayList<>();
        byte[] client = {10, 0, 0, 1};
        byte[] server = {(byte) 192, 0, 2, 10};
        new TcpSessionWriter((t, f) -> frames.add(f), client, 40000, server, 80, 1_000L)
                .handshake()
                .clientSends("GET / HTTP/1.1\r\nHost: bench.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        FlowProcessor processor = new FlowProcessor(FlowSettings.of(config.global));
        FrameDecoder decoder = new FrameDecoder();
        FlowState s = null;
        for (byte[] f : frames) {
            Packet p = new Packet();
            decoder.decode(1, f, 0, f.length, 1_000L, p);
            s = processor.onTcp(s, FlowKey.of(p), p, config.rules, e -> { }, FlowCounters.NONE);
        }
        state = s;
        bytes = FlowStateCodec.encode(s);
    }

    @Benchmark
    public byte[] encode() {
        return FlowStateCodec.encode(state);
    }

    @Benchmark
    public FlowState decode() {
        return FlowStateCodec.decode(bytes);
    }

    @Benchmark
    public byte[] legacyEncode() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + state.pendingBytes1 + state.pendingBytes2);
        DataOutputStream out = new DataOutputStream(buffer);
        FlowState s = state;
        out.writeByte(1);
        out.writeLong(s.createdNanos);
        out.writeLong(s.lastSeenNanos);
        out.writeLong(s.timerAt);
        out.writeInt(s.unclassifiedDataEvents);
        out.writeBoolean(s.closed);
        out.writeBoolean(s.classified);
        if (s.classified) {
            out.writeUTF(s.ruleName);
            out.writeUTF(s.iface);
            out.writeUTF(s.socket);
            out.writeBoolean(s.binary);
            out.writeBoolean(s.body);
            out.writeByte(s.upSide.ordinal());
        }
        out.writeInt(s.pending.size());
        for (PendingData d : s.pending) {
            out.writeByte(d.from.ordinal());
            out.writeLong(d.timestampNanos);
            out.writeInt(d.bytes.length);
            out.write(d.bytes);
        }
        out.writeBoolean(s.tcp != null);
        if (s.tcp != null) {
            TcpConnectionCodec.write(s.tcp, out);
        }
        out.flush();
        return buffer.toByteArray();
    }

    @Benchmark
    public FlowState legacyDecode() throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readUnsignedByte();
        FlowState s = new FlowState();
        s.createdNanos = in.readLong();
        s.lastSeenNanos = in.readLong();
        s.timerAt = in.readLong();
        s.unclassifiedDataEvents = in.readInt();
        s.closed = in.readBoolean();
        s.classified = in.readBoolean();
        if (s.classified) {
            s.ruleName = in.readUTF();
            s.iface = in.readUTF();
            s.socket = in.readUTF();
            s.binary = in.readBoolean();
            s.body = in.readBoolean();
            s.upSide = Direction.values()[in.readUnsignedByte()];
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Direction from = Direction.values()[in.readUnsignedByte()];
            long ts = in.readLong();
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            s.addPending(new PendingData(from, ts, b));
        }
        if (in.readBoolean()) {
            s.tcp = TcpConnectionCodec.read(in);
        }
        return s;
    }
}
