package io.sftap.analyzer.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hand-built text and binary streams through {@link EventStreamReader}. */
class EventStreamReaderTest {

    private static final String TEXT_STREAM =
            "ip1=10.0.0.1,ip2=10.0.0.2,port1=40000,port2=80,hop=0,l3=ipv4,l4=tcp,event=CREATED,time=1700000000.123456\n"
            + "ip1=10.0.0.1,ip2=10.0.0.2,port1=40000,port2=80,hop=0,l3=ipv4,l4=tcp,event=DATA,from=1,match=up,len=5,time=1700000000.2\nhello"
            + "ip1=2001:db8::1,ip2=2001:db8::2,port1=53,port2=5353,hop=2,l3=ipv6,l4=udp,event=DATA,from=2,match=none,len=3,time=1700000001\nx\ny"
            + "ip1=192.0.2.1,ip2=192.0.2.9,hop=0,l3=ipv4,l4=icmp,event=DATA,from=1,match=none,len=0,time=5.000001\n"
            + "ip1=10.0.0.1,ip2=10.0.0.2,port1=40000,port2=80,hop=0,l3=ipv4,l4=tcp,event=DESTROYED,reason=RESET,time=1700000002.5\n"
            // SF-TAP's original lines: no time, no reason.
            + "ip1=10.0.0.1,ip2=10.0.0.2,port1=1,port2=2,hop=0,l3=ipv4,l4=tcp,event=DESTROYED\n";

    @Test
    void parsesEveryTextEventKind() throws Exception {
        List<AnalyzerEvent> events = new EventStreamReader(Format.TEXT).feed(bytes(TEXT_STREAM));

        assertThat(events).extracting(AnalyzerEvent::event).containsExactly(
                EventType.CREATED, EventType.DATA, EventType.DATA, EventType.DATA, EventType.DESTROYED,
                EventType.DESTROYED);
        FlowEventHeader created = events.get(0).header();
        assertThat(created.flow()).isEqualTo(new FlowId(ip("10.0.0.1"), ip("10.0.0.2"), 40000, 80, 0, L3.IPV4, L4.TCP));
        assertThat(created.time()).isEqualTo(Instant.ofEpochSecond(1700000000L, 123456000L));

        AnalyzerEvent data = events.get(1);
        assertThat(data.header().from()).isEqualTo(1);
        assertThat(data.header().match()).isEqualTo(Match.UP);
        assertThat(data.dataAsLatin1()).isEqualTo("hello");

        AnalyzerEvent v6 = events.get(2);
        assertThat(v6.flow().l3()).isEqualTo(L3.IPV6);
        assertThat(v6.flow().ip2()).isEqualTo(ip("2001:db8::2"));
        assertThat(v6.flow().hop()).isEqualTo(2);
        assertThat(v6.header().from()).isEqualTo(2);
        assertThat(v6.dataAsLatin1()).isEqualTo("x\ny");

        AnalyzerEvent icmp = events.get(3);
        assertThat(icmp.flow().l4()).isEqualTo(L4.ICMP);
        assertThat(icmp.flow().port1()).isZero();
        assertThat(icmp.header().time()).isEqualTo(Instant.ofEpochSecond(5, 1000));

        assertThat(events.get(4).header().reason()).isEqualTo(Reason.RESET);
        assertThat(events.get(5).header().reason()).isNull();
        assertThat(events.get(5).header().time()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void givesTheSameEventsWhenSplitAtEveryByteBoundary(Format format) throws Exception {
        byte[] stream = format == Format.TEXT ? bytes(TEXT_STREAM) : binaryStream();
        List<AnalyzerEvent> whole = new EventStreamReader(format).feed(stream);
        assertThat(whole).hasSize(format == Format.TEXT ? 6 : 4);

        for (int cut = 0; cut <= stream.length; cut++) {
            EventStreamReader r = new EventStreamReader(format);
            List<AnalyzerEvent> got = new ArrayList<>(r.feed(stream, 0, cut));
            got.addAll(r.feed(stream, cut, stream.length - cut));
            assertThat(got).as("cut at %d", cut).isEqualTo(whole);
            assertThat(r.hasPartialEvent()).isFalse();
        }
        EventStreamReader oneByOne = new EventStreamReader(format);
        List<AnalyzerEvent> got = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            List<AnalyzerEvent> completed = oneByOne.feed(stream, i, 1);
            got.addAll(completed);
            assertThat(oneByOne.hasPartialEvent()).as("partial after byte %d", i).isEqualTo(completed.isEmpty());
        }
        assertThat(got).isEqualTo(whole);
    }

    @Test
    void parsesEveryBinaryEventKind() throws Exception {
        List<AnalyzerEvent> events = new EventStreamReader(Format.BINARY).feed(binaryStream());

        assertThat(events).extracting(AnalyzerEvent::event)
                .containsExactly(EventType.CREATED, EventType.DATA, EventType.DATA, EventType.DESTROYED);
        FlowId v4 = new FlowId(ip("10.0.0.1"), ip("10.0.0.2"), 40000, 80, 1, L3.IPV4, L4.TCP);
        assertThat(events.get(0).flow()).isEqualTo(v4);
        assertThat(events.get(0).header().time()).isEqualTo(Instant.ofEpochSecond(1700000000L, 654321000L));
        assertThat(events.get(1).header().from()).isEqualTo(2);
        assertThat(events.get(1).header().match()).isEqualTo(Match.DOWN);
        assertThat(events.get(1).dataAsLatin1()).isEqualTo("HTTP/1.1 200 OK\r\n");
        assertThat(events.get(2).flow().ip1()).isEqualTo(ip("fe80::1"));
        assertThat(events.get(2).flow().l4()).isEqualTo(L4.UDP);
        assertThat(events.get(2).header().from()).isEqualTo(1);
        assertThat(events.get(3).header().reason()).isEqualTo(Reason.TIMEOUT);
    }

    @Test
    void readsNoDataBytesWhenBodyIsOff() throws Exception {
        String stream = "ip1=10.0.0.1,ip2=10.0.0.2,port1=1,port2=2,hop=0,l3=ipv4,l4=tcp,event=DATA,from=1,match=up,len=1000\n"
                + "ip1=10.0.0.1,ip2=10.0.0.2,port1=1,port2=2,hop=0,l3=ipv4,l4=tcp,event=DESTROYED,reason=NORMAL\n";

        List<AnalyzerEvent> events = new EventStreamReader(Format.TEXT, false).feed(bytes(stream));

        assertThat(events).hasSize(2);
        assertThat(events.get(0).header().len()).isEqualTo(1000);
        assertThat(events.get(0).data()).isEmpty();
    }

    @Test
    void ignoresUnknownKeysAndKeyOrder() throws Exception {
        String line = "event=CREATED,future=1,l4=tcp,l3=ipv4,hop=3,port2=2,port1=1,ip2=10.0.0.2,ip1=10.0.0.1\n";

        List<AnalyzerEvent> events = new EventStreamReader(Format.TEXT).feed(bytes(line));

        assertThat(events).singleElement().extracting(e -> e.flow().hop()).isEqualTo(3);
    }

    @Test
    void reportsBinaryBytesReadAsTextClearly() {
        EventStreamReader r = new EventStreamReader(Format.TEXT);
        byte[] binary = new byte[5000];

        assertThatThrownBy(() -> r.feed(binary)).isInstanceOf(EventFormatException.class)
                .hasMessageContaining("binary format");
    }

    @Test
    void reportsMalformedTextHeaderWithTheLine() {
        EventStreamReader r = new EventStreamReader(Format.TEXT);

        assertThatThrownBy(() -> r.feed(bytes("ip1=10.0.0.1,ip2=x.y,hop=0,l3=ipv4,l4=tcp,event=CREATED\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("'x.y' is not an IP address")
                .hasMessageContaining("ip1=10.0.0.1");
        assertThatThrownBy(() -> r.feed(bytes("ip1=10.0.0.1\n"))).hasMessageContaining("already failed");
    }

    @Test
    void reportsAnUnknownBinaryEventCode() {
        byte[] h = binaryHeader("10.0.0.1", "10.0.0.2", 1, 2, 9, 0, 0, 0, 6, 2, 0, 0, 0, 0);

        assertThatThrownBy(() -> new EventStreamReader(Format.BINARY).feed(h))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("event=9");
    }

    @Test
    void keepsACutOffEventAsPartial() throws Exception {
        EventStreamReader r = new EventStreamReader(Format.TEXT);
        String line = "ip1=10.0.0.1,ip2=10.0.0.2,port1=1,port2=2,hop=0,l3=ipv4,l4=tcp,event=DATA,from=1,match=up,len=10\nabc";

        assertThat(r.feed(bytes(line))).isEmpty();
        assertThat(r.hasPartialEvent()).isTrue();
    }

    static byte[] binaryStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] resp = bytes("HTTP/1.1 200 OK\r\n");
        out.writeBytes(binaryHeader("10.0.0.1", "10.0.0.2", 40000, 80, 0, 3, 0, 1, 6, 2, 0, 1700000000L, 654321, 0));
        out.writeBytes(binaryHeader("10.0.0.1", "10.0.0.2", 40000, 80, 2, 1, resp.length, 1, 6, 1, 0, 1700000000L, 700000, 0));
        out.writeBytes(resp);
        out.writeBytes(binaryHeader("fe80::1", "fe80::2", 546, 547, 2, 0, 2, 0, 17, 2, 0, 1700000001L, 0, 41));
        out.writeBytes(new byte[] {1, 2});
        out.writeBytes(binaryHeader("10.0.0.1", "10.0.0.2", 40000, 80, 1, 3, 0, 1, 6, 2, 2, 1700000100L, 0, 0));
        return out.toByteArray();
    }

    /** A 64-byte header laid out by hand from INTERFACE.md's table. */
    static byte[] binaryHeader(String ip1, String ip2, int port1, int port2, int event, int from, int len, int hop,
            int l4, int match, int reason, long sec, long usec, int l3) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, ip(ip1).getAddress());
        b.put(16, ip(ip2).getAddress());
        b.putLong(32, sec);
        b.putLong(40, usec);
        b.put(48, (byte) (port1 >> 8)).put(49, (byte) port1);
        b.put(50, (byte) (port2 >> 8)).put(51, (byte) port2);
        b.put(52, (byte) event).put(53, (byte) from);
        b.put(54, (byte) len).put(55, (byte) (len >> 8));
        b.put(56, (byte) hop).put(57, (byte) l3).put(58, (byte) l4).put(59, (byte) match).put(60, (byte) reason);
        return b.array();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
