package io.sftap.job.flow;

import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.FrameDecoder;
import io.sftap.source.wire.Packet;
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
 * {@link FlowStateCodec} (layout 2) on a classified open HTTP flow. The first release's java.io
 * implementation of layout 1 was measured against it in docs/performance.md section 7. Lives in
 * the flow package to reach the state's fields.
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
}
