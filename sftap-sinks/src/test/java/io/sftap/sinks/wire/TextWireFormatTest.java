package io.sftap.sinks.wire;

import static io.sftap.sinks.wire.TestEvents.GET;
import static io.sftap.sinks.wire.TestEvents.T;
import static io.sftap.sinks.wire.TestEvents.T_ROUNDED;
import static io.sftap.sinks.wire.TestEvents.ascii;
import static io.sftap.sinks.wire.TestEvents.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.source.wire.Direction;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Golden bytes of the text format, and its decoder. */
class TextWireFormatTest {
    private static final String V4 = "ip1=10.0.0.2,ip2=192.168.0.1,port1=80,port2=49152,hop=0,l3=ipv4,l4=tcp";
    private static final String V6 = "ip1=2001:db8::1,ip2=2001:db8::2,port1=443,port2=51000,hop=1,l3=ipv6,l4=tcp";

    private final TextWireFormat text = TextWireFormat.INSTANCE;

    @Test
    void writesCreatedLine() {
        FlowEvent e = FlowEvent.created(TestEvents.ipv4Tcp(), T);
        assertThat(text.encode(e)).isEqualTo(ascii(V4 + ",event=CREATED,time=1437142526.123456\n"));
    }

    @Test
    void writesDataLineThenBody() {
        FlowEvent e = FlowEvent.data(TestEvents.ipv4Tcp(), Direction.FROM_ENDPOINT2, Match.UP, GET, T);
        assertThat(text.encode(e)).isEqualTo(concat(
                ascii(V4 + ",event=DATA,from=2,match=up,len=16,time=1437142526.123456\n"), GET));
    }

    @Test
    void writesDestroyedLineWithReason() {
        FlowEvent e = FlowEvent.destroyed(TestEvents.ipv4Tcp(), Reason.RESET, T_ROUNDED);
        assertThat(text.encode(e)).isEqualTo(ascii(V4 + ",event=DESTROYED,reason=RESET,time=1437142526.0999999\n"));
    }

    @Test
    void writesIpv6AddressesAsInetNtop() {
        FlowEvent e = FlowEvent.data(TestEvents.ipv6Tcp(), Direction.FROM_ENDPOINT1, Match.DOWN, GET, T);
        assertThat(text.encode(e)).isEqualTo(concat(
                ascii(V6 + ",event=DATA,from=1,match=down,len=16,time=1437142526.123456\n"), GET));
    }

    @Test
    void writesIcmpLinesWithoutPorts() {
        byte[] echo = {8, 0, 0x12, 0x34, 0, 1, 0, 1};
        FlowEvent e = FlowEvent.data(TestEvents.ipv4Icmp(), Direction.FROM_ENDPOINT1, Match.NONE, echo, T);
        assertThat(text.encode(e)).isEqualTo(concat(ascii("ip1=10.0.0.2,ip2=192.168.0.1,hop=0,l3=ipv4,l4=icmp"
                + ",event=DATA,from=1,match=none,len=8,time=1437142526.123456\n"), echo));
    }

    @Test
    void keepsLenButSendsNoBytesWithoutBody() {
        FlowEvent e = FlowEvent.data(TestEvents.ipv4Tcp(), Direction.FROM_ENDPOINT2, Match.UP, GET, T)
                .routeTo("http", "tcp/http", false, false);
        assertThat(text.encode(e)).isEqualTo(ascii(V4 + ",event=DATA,from=2,match=up,len=16,time=1437142526.123456\n"));
    }

    @Test
    void splitsDataLongerThan65535BytesIntoSeveralEvents() {
        byte[] big = new byte[2 * 65535 + 10];
        Arrays.fill(big, (byte) 'x');
        FlowEvent e = FlowEvent.data(TestEvents.ipv4Tcp(), Direction.FROM_ENDPOINT1, Match.DOWN, big, T);
        String head = V4 + ",event=DATA,from=1,match=down,len=";
        String tail = ",time=1437142526.123456\n";
        assertThat(text.encode(e)).isEqualTo(concat(
                ascii(head + 65535 + tail), Arrays.copyOfRange(big, 0, 65535),
                ascii(head + 65535 + tail), Arrays.copyOfRange(big, 65535, 131070),
                ascii(head + 10 + tail), Arrays.copyOfRange(big, 131070, 131080)));
    }

    @Test
    void readsLinesWrittenBySfTap() throws Exception {
        String stream = V4 + ",event=CREATED,time=1437142526.123456\n"
                + V4 + ",event=DATA,from=2,match=up,len=16,time=1437142526.123456\nGET / HTTP/1.1\r\n"
                + V4 + ",event=DESTROYED,time=1437142526.0999999\n";
        ByteArrayInputStream in = new ByteArrayInputStream(stream.getBytes(StandardCharsets.US_ASCII));
        WireEvent created = text.read(in, true);
        WireEvent data = text.read(in, true);
        WireEvent destroyed = text.read(in, true);
        assertThat(text.read(in, true)).isNull();

        assertThat(created.event().key).isEqualTo(TestEvents.ipv4Tcp());
        assertThat(data.event().from).isEqualTo(Direction.FROM_ENDPOINT2);
        assertThat(data.event().match).isEqualTo(Match.UP);
        assertThat(data.event().data).isEqualTo(GET);
        assertThat(data.length()).isEqualTo(16);
        assertThat(destroyed.event().reason).as("SF-TAP lines have no reason").isEqualTo(Reason.NORMAL);
        assertThat(destroyed.event().timestampNanos).isEqualTo(T_ROUNDED);
    }

    @Test
    void refusesTruncatedAndMalformedHeaders() {
        assertThatThrownBy(() -> text.read(new ByteArrayInputStream(ascii(V4 + ",event=CREATED")), true))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("ends inside a header");
        assertThatThrownBy(() -> text.read(new ByteArrayInputStream(ascii(V4 + ",event=DATA,from=2,match=up,len=16,time=1\nGET")), true))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("3 of 16 bytes");
        assertThatThrownBy(() -> text.read(new ByteArrayInputStream(ascii("ip1=10.0.0.1,event=CREATED\n")), true))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("no l3");
        assertThatThrownBy(() -> text.read(new ByteArrayInputStream(ascii(V4.replace("port1=80", "port1=99999") + ",event=CREATED\n")), true))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("port1=99999");
    }

    @Test
    void readsKeysInAnyOrderWithTheLastOfARepeatedKeyAndUnknownKeysIgnored() throws Exception {
        String line = "time=1.5,event=CREATED,x-new=1,,l4=tcp,l3=ipv4,hop=0,port2=49152,port1=81,port1=80,"
                + "ip2=192.168.0.1,ip1=10.0.0.2\n";
        FlowEvent e = text.read(new ByteArrayInputStream(ascii(line)), true).event();
        assertThat(e.key).isEqualTo(TestEvents.ipv4Tcp());
        assertThat(e.timestampNanos).isEqualTo(1_500_000_000L);
    }

    @Test
    void readsUncommonNumberAndAddressTextsAsTheStringParsersDo() throws Exception {
        String line = V4.replace("port1=80", "port1=+80").replace("ip1=10.0.0.2", "ip1=010.0.0.2")
                + ",event=CREATED,time=1.5E0\n";
        FlowEvent e = text.read(new ByteArrayInputStream(ascii(line)), true).event();
        assertThat(e.key.port1).isEqualTo(Integer.parseInt("+80"));
        assertThat(e.key.addr1).isEqualTo(AddressText.parse("010.0.0.2", false));
        assertThat(e.timestampNanos).isEqualTo(WireTime.parse("1.5E0"));
        assertThatThrownBy(() -> text.read(new ByteArrayInputStream(ascii(V4 + ",event=CREATED,oops\n")), true))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("'oops' is not key=value");
        assertThatThrownBy(() -> text.read(new ByteArrayInputStream(ascii(V4 + ",event=BORN\n")), true))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("event=BORN is unknown");
    }
}
