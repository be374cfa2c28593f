package io.sftap.sinks.wire;

import static io.sftap.sinks.wire.TestEvents.GET;
import static io.sftap.sinks.wire.TestEvents.T;
import static io.sftap.sinks.wire.TestEvents.T_ROUNDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Encode then decode, both formats, with and without bodies. */
class WireFormatRoundTripTest {

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(false, true), Arguments.of(false, false),
                Arguments.of(true, true), Arguments.of(true, false));
    }

    private static List<FlowEvent> flow(boolean binary, boolean body) {
        FlowKey udp6 = new FlowKey(3, 6, IpProtocols.UDP, AddressText.parse("::ffff:10.1.1.1", true), 53,
                Addresses.parse("fe80::1"), 5353);
        List<FlowEvent> events = List.of(
                FlowEvent.created(TestEvents.ipv4Tcp(), T),
                FlowEvent.data(TestEvents.ipv4Tcp(), Direction.FROM_ENDPOINT2, Match.UP, GET, T + 1_000),
                FlowEvent.data(TestEvents.ipv4Tcp(), Direction.FROM_ENDPOINT1, Match.DOWN, new byte[0], T + 2_000),
                FlowEvent.destroyed(TestEvents.ipv4Tcp(), Reason.COMPROMISED, T_ROUNDED),
                FlowEvent.data(TestEvents.ipv4Icmp(), Direction.FROM_ENDPOINT1, Match.NONE, new byte[] {8, 0}, T),
                FlowEvent.data(udp6, Direction.FROM_ENDPOINT2, Match.NONE, new byte[] {1, 2, 3}, T),
                FlowEvent.destroyed(TestEvents.ipv6Tcp(), Reason.TIMEOUT, T));
        for (FlowEvent e : events) {
            e.routeTo("x", "tcp/x", binary, body);
        }
        return events;
    }

    @ParameterizedTest(name = "binary={0} body={1}")
    @MethodSource("formats")
    void decodesWhatItEncodes(boolean binary, boolean body) throws Exception {
        List<FlowEvent> sent = flow(binary, body);
        List<WireEvent> got = decodeAll(encodeAll(sent), binary, body);

        assertThat(got).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            FlowEvent s = sent.get(i);
            FlowEvent r = got.get(i).event();
            assertThat(r.key).as("key of %s", s).isEqualTo(s.key);
            assertThat(r.type).isEqualTo(s.type);
            assertThat(r.timestampNanos).as("time of %s", s).isEqualTo(s.timestampNanos);
            assertThat(r.binary).isEqualTo(binary);
            if (s.type == EventType.DATA) {
                assertThat(r.from).isEqualTo(s.from);
                assertThat(r.match).isEqualTo(s.match);
                assertThat(got.get(i).length()).isEqualTo(s.data.length);
                assertThat(r.data).isEqualTo(body ? s.data : new byte[0]);
            }
            if (s.type == EventType.DESTROYED) {
                assertThat(r.reason).isEqualTo(s.reason);
            }
        }
    }

    @ParameterizedTest(name = "binary={0} body={1}")
    @MethodSource("formats")
    void splitDataReassemblesInOrder(boolean binary, boolean body) throws Exception {
        byte[] big = new byte[3 * WireFormat.MAX_DATA_LENGTH + 123];
        new Random(42).nextBytes(big);
        FlowEvent e = FlowEvent.data(TestEvents.ipv6Tcp(), Direction.FROM_ENDPOINT2, Match.UP, big, T)
                .routeTo("x", "tcp/x", binary, body);

        List<WireEvent> got = decodeAll(encodeAll(List.of(e)), binary, body);

        assertThat(got).extracting(WireEvent::length).containsExactly(65535, 65535, 65535, 123);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (WireEvent w : got) {
            assertThat(w.event().key).isEqualTo(e.key);
            assertThat(w.event().timestampNanos).isEqualTo(T);
            joined.writeBytes(w.event().data);
        }
        assertThat(joined.toByteArray()).isEqualTo(body ? big : new byte[0]);
    }

    @ParameterizedTest(name = "binary={0} body={1}")
    @MethodSource("formats")
    void partsCarryExactlyTheBytesOfTheWholeEncoding(boolean binary, boolean body) {
        byte[] big = new byte[WireFormat.MAX_DATA_LENGTH + 5];
        new Random(7).nextBytes(big);
        List<FlowEvent> events = new java.util.ArrayList<>(flow(binary, body));
        events.add(FlowEvent.data(TestEvents.ipv4Tcp(), Direction.FROM_ENDPOINT1, Match.UP, big, T)
                .routeTo("x", "tcp/x", binary, body));
        for (FlowEvent e : events) {
            WireFormat format = WireFormat.forEvent(e);
            byte[] whole = format.encode(e);
            EncodedEvent parts = format.encodeParts(e);
            assertThat(parts.length()).as("length of %s", e).isEqualTo(whole.length);
            assertThat(parts.toArray()).as("bytes of %s", e).isEqualTo(whole);
            java.nio.ByteBuffer into = java.nio.ByteBuffer.allocate(whole.length + 3).put(new byte[] {9, 9});
            parts.writeTo(into);
            assertThat(java.util.Arrays.copyOfRange(into.array(), 2, 2 + whole.length)).isEqualTo(whole);
            assertThat(into.remaining()).isEqualTo(1);
        }
    }

    private static byte[] encodeAll(List<FlowEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FlowEvent e : events) {
            out.writeBytes(WireFormat.forEvent(e).encode(e));
        }
        return out.toByteArray();
    }

    private static List<WireEvent> decodeAll(byte[] bytes, boolean binary, boolean body) throws Exception {
        List<WireEvent> got = new ArrayList<>();
        try (WireFormatReader r = new WireFormatReader(new ByteArrayInputStream(bytes), WireFormat.of(binary), body)) {
            for (WireEvent w; (w = r.next()) != null; ) {
                got.add(w);
            }
        }
        return got;
    }
}
