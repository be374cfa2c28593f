package io.sftap.bench.jmh;

import io.sftap.job.classify.Classification;
import io.sftap.job.classify.RuleSet;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.flow.FlowCounters;
import io.sftap.job.flow.FlowProcessor;
import io.sftap.job.flow.FlowSettings;
import io.sftap.job.flow.FlowState;
import io.sftap.job.flow.FlowStateCodec;
import io.sftap.job.reassembly.ReassemblyLimits;
import io.sftap.job.reassembly.TcpConnection;
import io.sftap.job.reassembly.TcpReassembler;
import io.sftap.job.reassembly.TcpStatus;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.wire.BinaryWireFormat;
import io.sftap.sinks.wire.TextWireFormat;
import io.sftap.source.typeinfo.FlowKeySerializer;
import io.sftap.source.typeinfo.PacketSerializer;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.FrameDecoder;
import io.sftap.source.wire.LinkTypes;
import io.sftap.source.wire.Packet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Microbenchmarks of the per-packet hot paths, each timed per operation: frame decoding, flow key
 * and hash, key/packet serialization, reassembly in and out of order, classification on the
 * default rules, wire encoding, the flow state codec, and a whole short session through the flow
 * processor. Short runs: {@code bench/run-jmh.sh} finishes in a few minutes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HotPathBenchmarks {
    private static final int SEGMENTS = 32;

    private final FrameDecoder decoder = new FrameDecoder();
    private final Packet decoded = new Packet();
    private final DataOutputSerializer out = new DataOutputSerializer(4096);
    private final DataInputDeserializer in = new DataInputDeserializer();
    private final TcpReassembler reassembler = new TcpReassembler(ReassemblyLimits.defaults());

    private byte[] requestFrame;
    private Packet request;
    private FlowKey key;
    private byte[] keyBytes;
    private byte[] packetBytes;
    private List<Packet> shortSession;
    private List<Packet> bulkInOrder;
    private List<Packet> bulkOutOfOrder;
    private RuleSet rules;
    private FlowProcessor processor;
    private FlowEvent dataEvent;
    private byte[] tls;
    private byte[] unknown;
    private byte[] stateBytes;
    private FlowState state;

    /** FlowKey's serializer as Flink's POJO analysis would build it without the type factory. */
    static final org.apache.flink.api.common.typeutils.TypeSerializer<FlowKey> POJO_KEY = pojoSerializer();

    static org.apache.flink.api.common.typeutils.TypeSerializer<FlowKey> pojoSerializer() {
        List<org.apache.flink.api.java.typeutils.PojoField> fields = new ArrayList<>();
        for (java.lang.reflect.Field f : FlowKey.class.getFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                fields.add(new org.apache.flink.api.java.typeutils.PojoField(
                        f, org.apache.flink.api.java.typeutils.TypeExtractor.getForClass(f.getType())));
            }
        }
        return new org.apache.flink.api.java.typeutils.PojoTypeInfo<>(FlowKey.class, fields)
                .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl());
    }

    /** Bytes of one IPv4 key: POJO serializer, then the compact one. */
    public static void main(String[] args) throws IOException {
        HotPathBenchmarks b = new HotPathBenchmarks();
        b.setUp();
        System.out.println("pojo=" + b.serializeFlowKeyAsPojo() + " compact=" + b.serializeFlowKey());
    }

    @Setup
    public void setUp() throws IOException {
        List<byte[]> frames = BenchSessions.httpFrames(40000, 600);
        requestFrame = frames.get(3);
        shortSession = BenchSessions.decode(frames);
        request = shortSession.get(3);
        key = FlowKey.of(request);
        out.clear();
        FlowKeySerializer.INSTANCE.serialize(key, out);
        keyBytes = out.getCopyOfBuffer();
        out.clear();
        PacketSerializer.INSTANCE.serialize(request, out);
        packetBytes = out.getCopyOfBuffer();

        bulkInOrder = BenchSessions.decode(BenchSessions.httpFrames(40001, SEGMENTS * 1400));
        bulkOutOfOrder = new ArrayList<>(bulkInOrder);
        for (int i = 4; i + 1 < bulkOutOfOrder.size() - 3; i += 2) {
            Packet a = bulkOutOfOrder.get(i);
            bulkOutOfOrder.set(i, bulkOutOfOrder.get(i + 1));
            bulkOutOfOrder.set(i + 1, a);
        }

        var config = RulesFile.defaults();
        rules = config.rules;
        processor = new FlowProcessor(FlowSettings.of(config.global));
        dataEvent = FlowEvent.data(key, Direction.FROM_ENDPOINT1, Match.UP, BenchSessions.RESPONSE, 1L)
                .routeTo("http", "tcp/http", false, true);
        tls = new byte[230];
        tls[0] = 0x16;
        tls[1] = 0x03;
        tls[2] = 0x01;
        tls[5] = 0x01;
        unknown = "some proprietary protocol banner 0123456789".getBytes(StandardCharsets.US_ASCII);

        FlowState s = null;
        for (Packet p : shortSession.subList(0, 6)) {
            s = processor.onTcp(s, key, p, rules, e -> { }, FlowCounters.NONE);
        }
        state = s;
        stateBytes = FlowStateCodec.encode(s);
    }

    @Benchmark
    public Packet decodeTcpFrame() {
        decoder.decode(LinkTypes.ETHERNET, requestFrame, 0, requestFrame.length, 1L, decoded);
        return decoded;
    }

    @Benchmark
    public int flowKeyAndHash() {
        FlowKey k = FlowKey.of(request);
        return k.hashCode() ^ FlowKey.directionOf(request).ordinal();
    }

    @Benchmark
    public int serializeFlowKey() throws IOException {
        out.clear();
        FlowKeySerializer.INSTANCE.serialize(key, out);
        return out.length();
    }

    /** The same key through the POJO serializer Flink used before the compact one (for comparison). */
    @Benchmark
    public int serializeFlowKeyAsPojo() throws IOException {
        out.clear();
        POJO_KEY.serialize(key, out);
        return out.length();
    }

    @Benchmark
    public FlowKey deserializeFlowKey() throws IOException {
        in.setBuffer(keyBytes);
        return FlowKeySerializer.INSTANCE.deserialize(in);
    }

    @Benchmark
    public Packet packetRoundTrip() throws IOException {
        out.clear();
        PacketSerializer.INSTANCE.serialize(request, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return PacketSerializer.INSTANCE.deserialize(in);
    }

    /** One bulk connection of {@value #SEGMENTS} full segments (+ handshake, ACKs, close), in order. */
    @Benchmark
    public TcpStatus reassembleInOrder(Blackhole bh) {
        return reassemble(bulkInOrder, bh);
    }

    /** The same connection with every pair of data segments swapped. */
    @Benchmark
    public TcpStatus reassembleOutOfOrder(Blackhole bh) {
        return reassemble(bulkOutOfOrder, bh);
    }

    private TcpStatus reassemble(List<Packet> packets, Blackhole bh) {
        TcpConnection conn = new TcpConnection();
        TcpStatus status = null;
        for (Packet p : packets) {
            status = reassembler.accept(conn, FlowKey.directionOf(p), p.seq, p.ack, p.tcpFlags, p.payload,
                    p.timestampNanos, (from, bytes, ts) -> bh.consume(bytes));
        }
        return status;
    }

    @Benchmark
    public Classification classifyHttp() {
        return rules.classifyTcp(key, BenchSessions.REQUEST, BenchSessions.RESPONSE);
    }

    @Benchmark
    public Classification classifyTls() {
        return rules.classifyTcp(key, tls, new byte[0]);
    }

    /** No rule matches: every pattern is tried before the default interface. */
    @Benchmark
    public Classification classifyUnknown() {
        return rules.classifyTcp(key, unknown, unknown);
    }

    @Benchmark
    public byte[] encodeText() {
        return TextWireFormat.INSTANCE.encode(dataEvent);
    }

    @Benchmark
    public byte[] encodeBinary() {
        return BinaryWireFormat.INSTANCE.encode(dataEvent);
    }

    @Benchmark
    public byte[] encodeFlowState() {
        return FlowStateCodec.encode(state);
    }

    @Benchmark
    public FlowState decodeFlowState() {
        return FlowStateCodec.decode(stateBytes);
    }

    /**
     * A whole 10-packet session through the flow processor with its state encoded and decoded
     * between packets, as the operator does: the keyed path's CPU cost without Flink.
     */
    @Benchmark
    public int shortSessionThroughProcessor(Blackhole bh) {
        byte[] stored = null;
        int events = 0;
        for (Packet p : shortSession) {
            FlowState s = stored == null ? null : FlowStateCodec.decode(stored);
            s = processor.onTcp(s, FlowKey.of(p), p, rules, bh::consume, FlowCounters.NONE);
            stored = s == null ? null : FlowStateCodec.encode(s);
            events++;
        }
        return events;
    }
}
