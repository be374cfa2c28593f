package io.sftap.analyzer.sdk;

import static io.sftap.analyzer.sdk.EventStreamReaderTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What {@link LoopbackWriter} writes, read back with {@link EventStreamReader}. */
class LoopbackWriterTest {
    private static final Instant T = Instant.ofEpochSecond(1700000000L, 250000000L);

    @ParameterizedTest
    @EnumSource(Format.class)
    void writesAFlowThatTheReaderReadsBack(Format format) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FlowId inner = FlowId.ordered(1, L4.TCP, ip("192.168.1.20"), 51000, ip("192.168.1.10"), 80);
        int clientFrom = inner.fromOf(ip("192.168.1.20"), 51000);
        try (LoopbackWriter w = new LoopbackWriter(Channels.newChannel(sink), format)) {
            w.created(inner, T);
            w.data(inner, clientFrom, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), T);
            w.destroyed(inner, T);
        }

        List<AnalyzerEvent> events = new EventStreamReader(format).feed(sink.toByteArray());

        assertThat(events).extracting(AnalyzerEvent::event)
                .containsExactly(EventType.CREATED, EventType.DATA, EventType.DESTROYED);
        assertThat(events).allSatisfy(e -> assertThat(e.flow()).isEqualTo(inner));
        assertThat(inner.ip1()).isEqualTo(ip("192.168.1.10"));
        assertThat(clientFrom).isEqualTo(2);
        assertThat(events.get(1).header().from()).isEqualTo(2);
        assertThat(events.get(1).dataAsLatin1()).isEqualTo("GET / HTTP/1.1\r\n\r\n");
        assertThat(events.get(1).header().time()).isEqualTo(T);
    }

    @Test
    void writesTheLoopbackTextKeysOnly() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FlowId inner = FlowId.ordered(0, L4.UDP, ip("10.1.0.1"), 53, ip("10.1.0.2"), 4000);
        try (LoopbackWriter w = new LoopbackWriter(Channels.newChannel(sink), Format.TEXT)) {
            w.data(inner, 1, new byte[] {'a', 'b'}, null);
            w.destroyed(inner, null);
        }

        assertThat(sink.toString(StandardCharsets.ISO_8859_1)).isEqualTo(
                "ip1=10.1.0.1,ip2=10.1.0.2,port1=53,port2=4000,hop=0,l3=ipv4,l4=udp,event=DATA,from=1,len=2\nab"
                + "ip1=10.1.0.1,ip2=10.1.0.2,port1=53,port2=4000,hop=0,l3=ipv4,l4=udp,event=DESTROYED\n");
    }

    @Test
    void splitsBinaryDataLongerThanTheSixteenBitLength() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FlowId inner = FlowId.ordered(0, L4.TCP, ip("10.1.0.1"), 1000, ip("10.1.0.2"), 2000);
        byte[] big = new byte[70000];
        big[69999] = 7;
        try (LoopbackWriter w = new LoopbackWriter(Channels.newChannel(sink), Format.BINARY)) {
            w.data(inner, 1, big, T);
        }

        List<AnalyzerEvent> events = new EventStreamReader(Format.BINARY).feed(sink.toByteArray());

        assertThat(events).extracting(e -> e.data().length).containsExactly(65535, 4465);
        assertThat(events.get(1).data()[4464]).isEqualTo((byte) 7);
    }

    @Test
    void refusesAFromThatIsNoEndpoint() {
        LoopbackWriter w = new LoopbackWriter(Channels.newChannel(new ByteArrayOutputStream()), Format.TEXT);
        FlowId inner = FlowId.ordered(0, L4.TCP, ip("10.1.0.1"), 1, ip("10.1.0.2"), 2);

        assertThatThrownBy(() -> w.data(inner, 0, new byte[1], T)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inner.fromOf(ip("10.9.9.9"), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
