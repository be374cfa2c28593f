package io.sftap.job.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import io.sftap.source.wire.Packet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The loopback input's header parsing: text and binary, from conventions, limits, errors. */
class LoopbackDecoderTest {
    static final long ARRIVAL = 42_000_000_000L;
    static final String FLOW = "ip1=10.0.0.1,ip2=10.0.0.2,port1=80,port2=40000,hop=0,l3=ipv4,l4=tcp";

    static LoopbackDecoder text() {
        return new LoopbackDecoder(false, () -> ARRIVAL);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void parsesTextEventsIntoStreamPacketsWithHopPlusOneAndSenderAsSource() throws Exception {
        LoopbackDecoder d = text();
        byte[] in = ascii(FLOW + ",event=CREATED,time=1.5\n"
                + FLOW + ",event=DATA,from=2,len=5,time=1.75\nhello"
                + FLOW + ",event=DESTROYED\n");
        List<Packet> out = d.feed(in, 0, in.length);

        assertThat(out).extracting(p -> p.streamEvent)
                .containsExactly(Packet.STREAM_CREATED, Packet.STREAM_DATA, Packet.STREAM_DESTROYED);
        assertThat(out).allSatisfy(p -> {
            assertThat(p.hop).isEqualTo(1);
            assertThat(p.protocol).isEqualTo(IpProtocols.TCP);
            assertThat(p.ipVersion).isEqualTo((byte) 4);
        });
        Packet data = out.get(1);
        assertThat(Addresses.format(data.srcAddr)).isEqualTo("10.0.0.2");
        assertThat(data.srcPort).isEqualTo(40000);
        assertThat(data.dstPort).isEqualTo(80);
        assertThat(new String(data.payload, StandardCharsets.ISO_8859_1)).isEqualTo("hello");
        assertThat(FlowKey.directionOf(data)).isEqualTo(Direction.FROM_ENDPOINT2);
        assertThat(out.get(0).timestampNanos).isEqualTo(1_500_000_000L);
        assertThat(data.timestampNanos).isEqualTo(1_750_000_000L);
        assertThat(out.get(2).timestampNanos).as("no time: arrival time").isEqualTo(ARRIVAL);
        assertThat(FlowKey.of(out.get(0))).isEqualTo(FlowKey.of(data)).isEqualTo(FlowKey.of(out.get(2)));
        assertThat(d.hasPartialEvent()).isFalse();
    }

    @Test
    void assemblesEventsSplitAcrossArbitraryChunks() throws Exception {
        byte[] in = ascii(FLOW + ",event=DATA,from=1,len=11\nhello world" + FLOW + ",event=DESTROYED\n");
        List<Packet> out = new ArrayList<>();
        LoopbackDecoder d = text();
        for (int i = 0; i < in.length; i += 7) {
            out.addAll(d.feed(in, i, Math.min(7, in.length - i)));
        }
        assertThat(out).hasSize(2);
        assertThat(new String(out.get(0).payload, StandardCharsets.ISO_8859_1)).isEqualTo("hello world");
        assertThat(out.get(0).srcPort).isEqualTo(80);
    }

    static Stream<Arguments> fromConventions() {
        // the sequence of from values on one connection → the senders read
        return Stream.of(
                Arguments.of(List.of("1", "2", "1"), List.of(1, 2, 1)),   // interfaces' and SDK's 1/2
                Arguments.of(List.of("0", "1", "0"), List.of(1, 2, 1)),   // SF-TAP's parser's 0/1
                Arguments.of(List.of("1", "0", "1"), List.of(1, 1, 2)));  // 0/1 found after an early 1
    }

    @ParameterizedTest
    @MethodSource("fromConventions")
    void readsFromInEitherConventionFixedPerConnection(List<String> froms, List<Integer> senders) throws Exception {
        LoopbackDecoder d = text();
        StringBuilder sb = new StringBuilder();
        for (String f : froms) {
            sb.append(FLOW).append(",event=DATA,from=").append(f).append(",len=1\nx");
        }
        byte[] in = ascii(sb.toString());
        List<Packet> out = d.feed(in, 0, in.length);
        assertThat(out).extracting(p -> FlowKey.directionOf(p) == Direction.FROM_ENDPOINT1 ? 1 : 2)
                .containsExactlyElementsOf(senders);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(FLOW + ",event=DATA,from=2,len=1\nx" + FLOW + ",event=DATA,from=0,len=1\nx",
                        "from must be 1 or 2"),
                Arguments.of("ip1=10.0.0.1,ip2=10.0.0.2,port1=80,port2=1,hop=254,l3=ipv4,l4=tcp,event=CREATED\n"
                        + "ip1=10.0.0.1,ip2=10.0.0.2,port1=80,port2=1,hop=255,l3=ipv4,l4=tcp,event=CREATED\n",
                        "hop=255 out of range"),
                Arguments.of(FLOW.replace("10.0.0.2", "example.org") + ",event=CREATED\n", "is not an IPv4 address"),
                Arguments.of(FLOW.replace("l4=tcp", "l4=icmp") + ",event=CREATED\n", "l4 must be tcp or udp"),
                Arguments.of(FLOW + ",event=OPENED\n", "event must be CREATED, DATA or DESTROYED"),
                Arguments.of(FLOW + ",event=DATA,from=1\n", "missing key 'len'"),
                Arguments.of(FLOW + ",event=DATA,from=none,len=0\n", "from must be 1 or 2"),
                Arguments.of(FLOW.replace("port1=80", "port1=70000") + ",event=CREATED\n", "port1=70000 out of range"),
                Arguments.of(FLOW + ",event=CREATED,time=yesterday\n", "is not decimal seconds"),
                Arguments.of("x".repeat(5000), "without a newline"),
                Arguments.of(FLOW + ",event=DATA,from=1,len=99999999\n", "out of range"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedTextWithAClearMessage(String input, String message) {
        byte[] in = ascii(input);
        LoopbackDecoder d = text();
        assertThatThrownBy(() -> d.feed(in, 0, in.length))
                .isInstanceOf(LoopbackFormatException.class)
                .hasMessageContaining(message);
        assertThatThrownBy(() -> d.feed(new byte[] {'\n'}, 0, 1)).as("unusable after a framing error")
                .isInstanceOf(LoopbackFormatException.class);
    }

    static byte[] binary(int event, int from, int len, int hop, long sec, long usec, String payload) {
        ByteBuffer b = ByteBuffer.allocate(64 + payload.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, Addresses.parse("2001:db8::1"));
        b.put(16, Addresses.parse("2001:db8::2"));
        b.putLong(32, sec).putLong(40, usec);
        b.order(ByteOrder.BIG_ENDIAN).putShort(48, (short) 443).putShort(50, (short) 50000);
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.put(52, (byte) event).put(53, (byte) from).putShort(54, (short) len);
        b.put(56, (byte) hop).put(57, (byte) 41).put(58, (byte) 6).put(59, (byte) 2);
        b.put(64, payload.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    @Test
    void parsesBinaryHeadersWithFromZeroOneAndZeroTimeAsArrival() throws Exception {
        LoopbackDecoder d = new LoopbackDecoder(true, () -> ARRIVAL);
        ByteBuffer in = ByteBuffer.allocate(64 * 3 + 3);
        in.put(binary(0, 3, 0, 2, 0, 0, ""));
        in.put(binary(2, 1, 3, 2, 10, 500_000, "abc"));
        in.put(binary(1, 3, 0, 2, 11, 0, ""));
        List<Packet> out = d.feed(in.array(), 0, in.capacity());

        assertThat(out).extracting(p -> p.streamEvent)
                .containsExactly(Packet.STREAM_CREATED, Packet.STREAM_DATA, Packet.STREAM_DESTROYED);
        assertThat(out).allSatisfy(p -> assertThat(p.hop).isEqualTo(3));
        assertThat(out.get(0).timestampNanos).isEqualTo(ARRIVAL);
        Packet data = out.get(1);
        assertThat(data.ipVersion).isEqualTo((byte) 6);
        assertThat(data.timestampNanos).isEqualTo(10_500_000_000L);
        assertThat(Addresses.format(data.srcAddr)).isEqualTo("2001:db8::2");
        assertThat(data.srcPort).isEqualTo(50000);
        assertThat(new String(data.payload, StandardCharsets.ISO_8859_1)).isEqualTo("abc");
    }

    @Test
    void refusesBinaryHeadersOfTheWrongFormat() {
        byte[] in = ascii((FLOW + ",event=CREATED\n").repeat(2));
        LoopbackDecoder d = new LoopbackDecoder(true, () -> ARRIVAL);
        assertThatThrownBy(() -> d.feed(in, 0, in.length))
                .isInstanceOf(LoopbackFormatException.class)
                .hasMessageContaining("is the analyzer writing the text format?");
    }
}
