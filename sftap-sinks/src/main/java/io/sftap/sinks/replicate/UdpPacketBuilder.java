package io.sftap.sinks.replicate;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the IP packets that carry one UDP datagram with a given source: IPv4 or IPv6 header, UDP
 * header with its checksum, and IP fragments when the datagram does not fit the path MTU.
 *
 * <p>Raw sockets with a header included are not fragmented by the kernel (it answers EMSGSIZE), so
 * fragmentation happens here: IPv4 fragments (RFC 791) or an IPv6 Fragment header (RFC 8200 4.5).
 * Fragment data is a multiple of 8 bytes except in the last fragment. Pure Java, no I/O.
 */
public final class UdpPacketBuilder {
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    static final int IPV6_FRAGMENT_HEADER = 8;
    static final int UDP_HEADER = 8;
    /** IPv4 total length and the UDP length field are 16 bits. */
    public static final int MAX_IPV4_PAYLOAD = 65535 - IPV4_HEADER - UDP_HEADER;
    public static final int MAX_IPV6_PAYLOAD = 65535 - UDP_HEADER;
    static final int IPV6_MIN_MTU = 1280;
    static final int IPV4_MIN_MTU = 68;
    private static final byte UDP = 17;
    private static final byte IPV6_FRAGMENT = 44;
    private static final int HOP_LIMIT = 64;

    private UdpPacketBuilder() {}

    /**
     * The packets carrying {@code payload} from {@code src:srcPort} to {@code dst:dstPort}, each at
     * most {@code mtu} bytes. {@code id} identifies the fragments of one datagram (16 bits used for
     * IPv4, 32 for IPv6).
     *
     * @throws IllegalArgumentException when the addresses differ in family or the payload is too
     *     large for one UDP datagram
     */
    public static List<byte[]> packets(byte[] src, byte[] dst, int srcPort, int dstPort, byte[] payload, int mtu, int id) {
        if (src.length != dst.length || (src.length != 4 && src.length != 16)) {
            throw new IllegalArgumentException("source and destination must both be IPv4 or both IPv6");
        }
        byte[] udp = udp(src, dst, srcPort, dstPort, payload);
        return src.length == 4 ? ipv4(src, dst, udp, Math.max(mtu, IPV4_MIN_MTU), id) : ipv6(src, dst, udp, Math.max(mtu, IPV6_MIN_MTU), id);
    }

    /** UDP header (with checksum over the IPv4/IPv6 pseudo-header) followed by the payload. */
    static byte[] udp(byte[] src, byte[] dst, int srcPort, int dstPort, byte[] payload) {
        int max = src.length == 4 ? MAX_IPV4_PAYLOAD : MAX_IPV6_PAYLOAD;
        if (payload.length > max) {
            throw new IllegalArgumentException("UDP payload of " + payload.length + " bytes exceeds " + max);
        }
        int len = UDP_HEADER + payload.length;
        byte[] udp = new byte[len];
        putShort(udp, 0, srcPort);
        putShort(udp, 2, dstPort);
        putShort(udp, 4, len);
        System.arraycopy(payload, 0, udp, UDP_HEADER, payload.length);
        long sum = InternetChecksum.add(0, src, 0, src.length);
        sum = InternetChecksum.add(sum, dst, 0, dst.length);
        sum += UDP + len; // pseudo-header: zero, protocol, UDP length (IPv6: 32-bit length, same sum)
        sum = InternetChecksum.add(sum, udp, 0, len);
        int c = InternetChecksum.finish(sum);
        putShort(udp, 6, c == 0 ? 0xffff : c); // 0 means "no checksum" in UDP
        return udp;
    }

    private static List<byte[]> ipv4(byte[] src, byte[] dst, byte[] udp, int mtu, int id) {
        if (IPV4_HEADER + udp.length <= mtu) {
            return List.of(ipv4Packet(src, dst, udp, 0, udp.length, false, id));
        }
        List<byte[]> out = new ArrayList<>();
        int perFragment = (mtu - IPV4_HEADER) & ~7;
        for (int off = 0; off < udp.length; off += perFragment) {
            int n = Math.min(perFragment, udp.length - off);
            out.add(ipv4Packet(src, dst, udp, off, n, off + n < udp.length, id));
        }
        return out;
    }

    private static byte[] ipv4Packet(byte[] src, byte[] dst, byte[] udp, int off, int n, boolean more, int id) {
        byte[] p = new byte[IPV4_HEADER + n];
        p[0] = 0x45;
        putShort(p, 2, p.length);
        putShort(p, 4, id);
        putShort(p, 6, (more ? 0x2000 : 0) | (off >>> 3)); // DF clear: routers on the way may fragment too
        p[8] = (byte) HOP_LIMIT;
        p[9] = UDP;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        putShort(p, 10, InternetChecksum.finish(InternetChecksum.add(0, p, 0, IPV4_HEADER)));
        System.arraycopy(udp, off, p, IPV4_HEADER, n);
        return p;
    }

    private static List<byte[]> ipv6(byte[] src, byte[] dst, byte[] udp, int mtu, int id) {
        if (IPV6_HEADER + udp.length <= mtu) {
            byte[] p = ipv6Header(src, dst, udp.length, UDP);
            System.arraycopy(udp, 0, p, IPV6_HEADER, udp.length);
            return List.of(p);
        }
        List<byte[]> out = new ArrayList<>();
        int perFragment = (mtu - IPV6_HEADER - IPV6_FRAGMENT_HEADER) & ~7;
        for (int off = 0; off < udp.length; off += perFragment) {
            int n = Math.min(perFragment, udp.length - off);
            boolean more = off + n < udp.length;
            byte[] p = ipv6Header(src, dst, IPV6_FRAGMENT_HEADER + n, IPV6_FRAGMENT);
            int f = IPV6_HEADER;
            p[f] = UDP;
            putShort(p, f + 2, off | (more ? 1 : 0)); // offset in 8-byte units sits in the top 13 bits
            putInt(p, f + 4, id);
            System.arraycopy(udp, off, p, f + IPV6_FRAGMENT_HEADER, n);
            out.add(p);
        }
        return out;
    }

    private static byte[] ipv6Header(byte[] src, byte[] dst, int payloadLength, byte next) {
        byte[] p = new byte[IPV6_HEADER + payloadLength];
        p[0] = 0x60;
        putShort(p, 4, payloadLength);
        p[6] = next;
        p[7] = (byte) HOP_LIMIT;
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        return p;
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int off, int v) {
        putShort(b, off, v >>> 16);
        putShort(b, off + 2, v);
    }
}
