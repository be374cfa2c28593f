package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.reassembly.TcpConnectionLayoutOne;
import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.FrameDecoder;
import io.sftap.source.wire.Packet;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow state's stored bytes: layout 2 round trips, layout 1 (older savepoints) still read. */
class FlowStateCodecTest {
    static final byte[] CLIENT = Addresses.parse("10.0.0.2");
    static final byte[] SERVER = Addresses.parse("10.0.0.1");

    /** Every state a short HTTP session goes through, packet by packet. */
    static List<FlowState> statesOfASession(int requestChunks) throws Exception {
        SftapConfig config = RulesFile.defaults();
        List<byte[]> frames = new ArrayList<>();
        String request = "GET /x HTTP/1.1\r\nHost: é.example\r\n\r\n";
        TcpSessionWriter w = new TcpSessionWriter((t, f) -> frames.add(f), CLIENT, 40000, SERVER, 80, 1_000L)
                .mss(Math.max(1, request.length() / requestChunks))
                .handshake()
                .clientSends(request.getBytes(StandardCharsets.UTF_8))
                .serverSends("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        w.close();
        FlowProcessor processor = new FlowProcessor(FlowSettings.of(config.global));
        FrameDecoder decoder = new FrameDecoder();
        List<FlowState> states = new ArrayList<>();
        FlowState s = null;
        long t = 1_000;
        for (byte[] f : frames) {
            Packet p = new Packet();
            assertThat(decoder.decode(1, f, 0, f.length, t += 1_000, p)).isNull();
            s = processor.onTcp(s, FlowKey.of(p), p, config.rules, e -> { }, FlowCounters.NONE);
            if (s != null) {
                s.timerAt = t + 30_000;
                states.add(FlowStateCodec.decode(FlowStateCodec.encode(s)));
            }
        }
        return states;
    }

    @Test
    void readsLayoutOneAsTheFirstReleaseWroteIt() throws Exception {
        List<FlowState> states = statesOfASession(3);
        assertThat(states).anySatisfy(s -> assertThat(s.classified).isTrue());
        assertThat(states).anySatisfy(s -> assertThat(s.pending).isNotEmpty());
        for (FlowState s : states) {
            assertThat(FlowStateCodec.decode(referenceLayoutOne(s))).usingRecursiveComparison().isEqualTo(s);
        }
    }

    @Test
    void layoutTwoTakesAtMostSixtyPercentOfLayoutOneForAnOpenClassifiedFlow() throws Exception {
        List<FlowState> states = statesOfASession(1);
        FlowState open = states.stream()
                .filter(s -> s.classified && !s.closed && s.pending.isEmpty())
                .reduce((a, b) -> b).orElseThrow();

        assertThat(FlowStateCodec.encode(open).length)
                .isLessThanOrEqualTo(referenceLayoutOne(open).length * 6 / 10);
        for (FlowState s : states) {
            assertThat(FlowStateCodec.encode(s).length).isLessThan(referenceLayoutOne(s).length);
        }
    }

    @Test
    void roundTripsRoutingAndTimesThatTakeNoShortcut() throws Exception {
        FlowState s = statesOfASession(1).stream().filter(x -> x.classified).findFirst().orElseThrow();
        s.ruleName = "règle";
        s.iface = "web";
        s.socket = "tcp/http-bal/3";
        s.upSide = io.sftap.source.wire.Direction.FROM_ENDPOINT2;
        s.binary = true;
        s.createdNanos = Long.MAX_VALUE - 5;
        s.lastSeenNanos = Long.MIN_VALUE + 7;
        s.timerAt = Long.MAX_VALUE;
        s.unclassifiedDataEvents = Integer.MAX_VALUE;
        s.closed = true;

        byte[] once = FlowStateCodec.encode(s);

        assertThat(FlowStateCodec.decode(once)).usingRecursiveComparison().isEqualTo(s);
    }

    @Test
    void spellsABalancedSocketByItsSuffix() throws Exception {
        FlowState s = statesOfASession(1).stream().filter(x -> x.classified).findFirst().orElseThrow();
        s.socket = "tcp/" + s.iface + "12";
        FlowState back = FlowStateCodec.decode(FlowStateCodec.encode(s));
        assertThat(back.socket).isEqualTo(s.socket);
        assertThat(back.iface).isEqualTo(s.iface);
        assertThat(back.ruleName).isEqualTo(s.ruleName);
    }

    @Test
    void decodesWhatItEncodes() throws Exception {
        for (FlowState s : statesOfASession(2)) {
            byte[] once = FlowStateCodec.encode(s);
            FlowState back = FlowStateCodec.decode(once);
            assertThat(back).usingRecursiveComparison().isEqualTo(s);
            assertThat(FlowStateCodec.encode(back)).isEqualTo(once);
        }
    }

    @Test
    void decodesAStateInTheMiddleOfALargerArrayAndNotPastItsEnd() throws Exception {
        for (FlowState s : statesOfASession(2)) {
            byte[] state = FlowStateCodec.encode(s);
            byte[] framed = new byte[17 + state.length + 5];
            System.arraycopy(state, 0, framed, 17, state.length);
            assertThat(FlowStateCodec.decode(framed, 17, state.length)).usingRecursiveComparison().isEqualTo(s);
            if (state.length > 3) {
                // the bytes after the range are zeros a decoder reading past its end would take
                assertThatThrownBy(() -> FlowStateCodec.decode(framed, 17, state.length - 3))
                        .isInstanceOf(UncheckedIOException.class);
            }
        }
    }

    @Test
    void refusesAVersionItDoesNotKnow() {
        byte[] future = {3, 0, 0};
        assertThatThrownBy(() -> FlowStateCodec.decode(future))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("version 3");
    }

    @Test
    void refusesTruncatedAndUnknownFlags() throws Exception {
        byte[] whole = FlowStateCodec.encode(statesOfASession(1).get(2));
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 3);
        assertThatThrownBy(() -> FlowStateCodec.decode(truncated)).isInstanceOf(UncheckedIOException.class);
        byte[] unknownFlag = whole.clone();
        unknownFlag[1] |= (byte) 0x80;
        assertThatThrownBy(() -> FlowStateCodec.decode(unknownFlag))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("flags");
    }

    /** Layout 1 as the first release wrote it, with java.io streams. */
    static byte[] referenceLayoutOne(FlowState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
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
            TcpConnectionLayoutOne.write(s.tcp, out);
        }
        return bytes.toByteArray();
    }
}
