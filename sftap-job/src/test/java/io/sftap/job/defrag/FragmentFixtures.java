package io.sftap.job.defrag;

import io.sftap.source.wire.IpProtocols;
import io.sftap.source.wire.Packet;
import java.util.Arrays;

/** Builds fragment packets and datagram bytes for the defragmentation tests. */
final class FragmentFixtures {
    static final byte[] V4_SRC = {10, 0, 0, 1};
    static final byte[] V4_DST = {10, 0, 0, 2};
    static final byte[] V6_SRC = filled(16, 0x01);
    static final byte[] V6_DST = filled(16, 0x02);
    static final long T0 = 1_700_000_000_000_000_000L;

    private FragmentFixtures() {}

    /** An IPv4 fragment of {@code len} bytes of {@code fill} at byte {@code offset}. */
    static Packet v4(int id, int offset, boolean more, char fill, int len) {
        return fragment(4, IpProtocols.ICMP, id, offset, more, filled(len, fill));
    }

    /** An IPv6 fragment of {@code len} bytes of {@code fill} at byte {@code offset}. */
    static Packet v6(int id, int offset, boolean more, char fill, int len) {
        return fragment(6, IpProtocols.ICMPV6, id, offset, more, filled(len, fill));
    }

    static Packet fragment(int version, byte protocol, int id, int offset, boolean more, byte[] data) {
        Packet p = new Packet();
        p.timestampNanos = T0;
        p.ipVersion = (byte) version;
        p.protocol = protocol;
        p.srcAddr = version == 4 ? V4_SRC.clone() : V6_SRC.clone();
        p.dstAddr = version == 4 ? V4_DST.clone() : V6_DST.clone();
        p.fragment = true;
        p.fragmentId = id;
        p.fragmentOffset = offset;
        p.moreFragments = more;
        p.payload = data;
        return p;
    }

    static Packet at(Packet p, long timestampNanos) {
        p.timestampNanos = timestampNanos;
        return p;
    }

    /**
     * A TCP segment: 20-byte header (ports 40000 > 80, seq 1000, ack 2000, PSH|ACK) then {@code
     * payload}; {@code dataOffsetWords} is written into the header as is.
     */
    static byte[] tcpSegment(int dataOffsetWords, byte[] payload) {
        byte[] s = new byte[20 + payload.length];
        s[0] = (byte) (40000 >>> 8);
        s[1] = (byte) 40000;
        s[2] = 0;
        s[3] = 80;
        s[6] = (byte) (1000 >>> 8);
        s[7] = (byte) 1000;
        s[10] = (byte) (2000 >>> 8);
        s[11] = (byte) 2000;
        s[12] = (byte) (dataOffsetWords << 4);
        s[13] = 0x18;
        System.arraycopy(payload, 0, s, 20, payload.length);
        return s;
    }

    /** A UDP datagram: 8-byte header (ports 5353 > 53, correct length) then {@code payload}. */
    static byte[] udpDatagram(byte[] payload) {
        byte[] d = new byte[8 + payload.length];
        d[0] = (byte) (5353 >>> 8);
        d[1] = (byte) 5353;
        d[3] = 53;
        d[4] = (byte) (d.length >>> 8);
        d[5] = (byte) d.length;
        System.arraycopy(payload, 0, d, 8, payload.length);
        return d;
    }

    static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }
}
