package io.sftap.sinks.wire;

import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import java.nio.charset.StandardCharsets;

/** Flows and times shared by the wire format tests. */
final class TestEvents {
    /** 1437142526 s + 123456 us. */
    static final long T = WireTime.nanos(1437142526L, 123456L);
    /** 1437142526 s + 100000 us, which SF-TAP prints as ...0999999. */
    static final long T_ROUNDED = WireTime.nanos(1437142526L, 100000L);

    static final byte[] GET = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

    private TestEvents() {}

    /** 192.168.0.1:49152 -> 10.0.0.2:80; endpoint1 is 10.0.0.2:80 (the smaller address). */
    static FlowKey ipv4Tcp() {
        return new FlowKey(0, 4, IpProtocols.TCP, Addresses.parse("10.0.0.2"), 80,
                Addresses.parse("192.168.0.1"), 49152);
    }

    static FlowKey ipv6Tcp() {
        return new FlowKey(1, 6, IpProtocols.TCP, Addresses.parse("2001:db8::1"), 443,
                Addresses.parse("2001:db8::2"), 51000);
    }

    static FlowKey ipv4Icmp() {
        return new FlowKey(0, 4, IpProtocols.ICMP, Addresses.parse("10.0.0.2"), 0,
                Addresses.parse("192.168.0.1"), 0);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
