package io.sftap.sinks.wire;

import static io.sftap.sinks.wire.TestEvents.GET;
import static io.sftap.sinks.wire.TestEvents.T;
import static io.sftap.sinks.wire.TestEvents.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.source.wire.Direction;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Golden bytes of the 64-byte binary header, and its decoder. */
class BinaryWireFormatTest {
    // Header fields written out by hand from fabs_appif_header (x86-64: timeval = 2 x int64 LE).
    private static final String ADDR_10_0_0_2 = "0a000002" + "00".repeat(12);
    private static final String ADDR_192_168_0_1 = "c0a80001" + "00".repeat(12);
    private static final String ADDR_2001_DB8_1 = "20010db8" + "00".repeat(11) + "01";
    private static final String ADDR_2001_DB8_2 = "20010db8" + "00".repeat(11) + "02";
    /** 1437142526 = 0x55a90dfe and 123456 = 0x1e240, little-endian int64s. */
    private static final String TIME_T = "fe0da95500000000" + "40e2010000000000";
    private static final String PORTS_80_49152 = "0050" + "c000";
    private static final String PORTS_443_51000 = "01bb" + "c738";

    private final BinaryWireFormat binary = BinaryWireFormat.INSTANCE;

    @Test
    void writesCreatedHeader() {
        FlowEvent e = FlowEvent.created(TestEvents.ipv4Tcp(), T);
        assertThat(hex(binary.encode(e))).isEqualTo(ADDR_10_0_0_2 + ADDR_192_168_0_1 + TIME_T + PORTS_80_49152
                // event CREATED, from none, len 0, hop 0, l3 IPv4, l4 tcp, match none, reason 0, pad
                + "00" + "03" + "0000" + "00" + "00" + "06" + "02" + "00" + "000000");
    }

    @Test
    void writesDataHeaderThenBody() {
        FlowEvent e = FlowEvent.data(TestEvents.ipv4Tcp(), Direction.FROM_ENDPOINT2, Match.UP, GET, T);
        assertThat(hex(binary.encode(e))).isEqualTo(ADDR_10_0_0_2 + ADDR_192_168_0_1 + TIME_T + PORTS_80_49152
                // event DATA, from endpoint2, len 16 LE, hop 0, l3 IPv4, l4 tcp, match up
                + "02" + "01" + "1000" + "00" + "00" + "06" + "00" + "00" + "000000" + hex(GET));
    }

    @Test
    void writesIpv6DestroyedHeaderWithReason() {
        FlowEvent e = FlowEvent.destroyed(TestEvents.ipv6Tcp(), Reason.TIMEOUT, T);
        assertThat(hex(binary.encode(e))).isEqualTo(ADDR_2001_DB8_1 + ADDR_2001_DB8_2 + TIME_T + PORTS_443_51000
                // event DESTROYED, from none, len 0, hop 1, l3 41 (0x29), l4 tcp, match none, reason timeout
                + "01" + "03" + "0000" + "01" + "29" + "06" + "02" + "02" + "000000");
    }

    @Test
    void keepsLenButSendsNoBytesWithoutBody() {
        FlowEvent e = FlowEvent.data(TestEvents.ipv4Tcp(), Direction.FROM_ENDPOINT1, Match.DOWN, GET, T)
                .routeTo("http", "tcp/http", true, false);
        assertThat(hex(binary.encode(e))).isEqualTo(ADDR_10_0_0_2 + ADDR_192_168_0_1 + TIME_T + PORTS_80_49152
                + "02" + "00" + "1000" + "00" + "00" + "06" + "01" + "00" + "000000");
    }

    @Test
    void splitsDataLongerThan65535BytesIntoSeveralEvents() {
        byte[] big = new byte[65535 + 1];
        Arrays.fill(big, (byte) 7);
        FlowEvent e = FlowEvent.data(TestEvents.ipv4Tcp(), Direction.FROM_ENDPOINT1, Match.DOWN, big, T);
        byte[] out = binary.encode(e);
        String head = ADDR_10_0_0_2 + ADDR_192_168_0_1 + TIME_T + PORTS_80_49152 + "0200";
        String rest = "00" + "00" + "06" + "01" + "00" + "000000";
        assertThat(out).hasSize(64 + 65535 + 64 + 1);
        assertThat(hex(Arrays.copyOfRange(out, 0, 64))).isEqualTo(head + "ffff" + rest);
        assertThat(hex(Arrays.copyOfRange(out, 64 + 65535, 64 + 65535 + 64))).isEqualTo(head + "0100" + rest);
        assertThat(out[64 + 65535 + 64]).isEqualTo((byte) 7);
    }

    @Test
    void refusesTruncatedHeaderAndUnknownL3() {
        byte[] created = binary.encode(FlowEvent.created(TestEvents.ipv4Tcp(), T));
        assertThatThrownBy(() -> binary.read(new ByteArrayInputStream(Arrays.copyOf(created, 40)), true))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("40 of 64");
        created[57] = 5;
        assertThatThrownBy(() -> binary.read(new ByteArrayInputStream(created), true))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("l3=5");
    }
}
