package io.sftap.source.wire;

import java.io.ByteArrayOutputStream;

/** Builds frames byte by byte for decoder and reader tests (no checksums; decoders ignore them). */
public final class TestFrames {
    public static final byte[] V4_A = {10, 0, 0, 1};
    public static final byte[] V4_B = {(byte) 192, (byte) 168, 1, 2};
    public static final byte[] V6_A = Addresses.parse("2001:db8::1");
    public static final byte[] V6_B = Addresses.parse("fe80::2");

    private TestFrames() {}

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    public static byte[] u16(int v) {
        return bytes(v >>> 8, v);
    }

    public static byte[] u32(int v) {
        return bytes(v >>> 24, v >>> 16, v >>> 8, v);
    }

    public static byte[] tcp(int srcPort, int dstPort, int seq, int ack, int flags, byte[] payload) {
        return concat(u16(srcPort), u16(dstPort), u32(seq), u32(ack),
                bytes(5 << 4, flags), u16(65535), u16(0), u16(0), payload);
    }

    public static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        return concat(u16(srcPort), u16(dstPort), u16(8 + payload.length), u16(0), payload);
    }

    /** An IPv4 packet; {@code options} must be a multiple of 4 bytes. */
    public static byte[] ipv4(int protocol, byte[] src, byte[] dst, int id, int flagsAndOffset, byte[] options, byte[] data) {
        int headerLength = 20 + options.length;
        return concat(bytes(0x40 | (headerLength / 4), 0), u16(headerLength + data.length), u16(id),
                u16(flagsAndOffset), bytes(64, protocol), u16(0), src, dst, options, data);
    }

    public static byte[] ipv4(int protocol, byte[] data) {
        return ipv4(protocol, V4_A, V4_B, 1, 0, new byte[0], data);
    }

    /** An IPv6 packet whose {@code data} starts with the header named by {@code nextHeader}. */
    public static byte[] ipv6(int nextHeader, byte[] data) {
        return concat(bytes(0x60, 0, 0, 0), u16(data.length), bytes(nextHeader, 64), V6_A, V6_B, data);
    }

    /** A generic 8-byte-unit extension header (hop-by-hop, routing, destination options). */
    public static byte[] extension(int nextHeader, int units8) {
        byte[] h = new byte[(units8 + 1) * 8];
        h[0] = (byte) nextHeader;
        h[1] = (byte) units8;
        return h;
    }

    /** An AH header: length field in 4-byte units minus 2. */
    public static byte[] authentication(int nextHeader, int lengthField) {
        byte[] h = new byte[(lengthField + 2) * 4];
        h[0] = (byte) nextHeader;
        h[1] = (byte) lengthField;
        return h;
    }

    public static byte[] fragmentHeader(int nextHeader, int offsetBytes, boolean more, int id) {
        return concat(bytes(nextHeader, 0), u16(offsetBytes | (more ? 1 : 0)), u32(id));
    }

    public static byte[] ethernet(int etherType, byte[] payload) {
        return concat(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), u16(etherType), payload);
    }

    /** A frame with the given VLAN tag ethertypes in order (each with VLAN id 100 + index). */
    public static byte[] ethernetTagged(int[] tagTypes, int etherType, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
        for (int i = 0; i < tagTypes.length; i++) {
            out.writeBytes(u16(tagTypes[i]));
            out.writeBytes(u16(100 + i));
        }
        out.writeBytes(u16(etherType));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    public static byte[] sll(int protocol, byte[] payload) {
        return concat(u16(0), u16(1), u16(6), bytes(0, 1, 2, 3, 4, 5, 0, 0), u16(protocol), payload);
    }

    public static byte[] sll2(int protocol, byte[] payload) {
        return concat(u16(protocol), u16(0), u32(2), u16(1), bytes(0, 6), bytes(0, 1, 2, 3, 4, 5, 0, 0), payload);
    }

    public static byte[] loopback(int family, boolean littleEndian, byte[] payload) {
        byte[] f = littleEndian ? bytes(family, family >>> 8, family >>> 16, family >>> 24) : u32(family);
        return concat(f, payload);
    }

    /** A whole TCP packet as the decoder should produce it from {@link #tcp}. */
    public static Packet tcpPacket(int version, int srcPort, int dstPort, int seq, int ack, int flags, byte[] payload) {
        Packet p = new Packet();
        p.ipVersion = (byte) version;
        p.protocol = IpProtocols.TCP;
        p.srcAddr = version == 4 ? V4_A : V6_A;
        p.dstAddr = version == 4 ? V4_B : V6_B;
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        p.seq = seq;
        p.ack = ack;
        p.tcpFlags = flags;
        p.payload = payload;
        return p;
    }
}
