package io.sftap.source.synth;

/**
 * Builds Ethernet frames carrying IPv4/IPv6 with TCP, UDP or raw payloads, with valid lengths and
 * checksums (pure; used by tests, the sample capture and the benchmark generator).
 */
public final class FrameBuilder {
    static final byte[] MAC_A = {0x02, 0, 0, 0, 0, 0x01};
    static final byte[] MAC_B = {0x02, 0, 0, 0, 0, 0x02};

    private FrameBuilder() {}

    /** An Ethernet frame with a TCP segment. */
    public static byte[] tcp(byte[] src, int sport, byte[] dst, int dport, int seq, int ack, int flags, byte[] payload) {
        byte[] l4 = new byte[20 + payload.length];
        put16(l4, 0, sport);
        put16(l4, 2, dport);
        put32(l4, 4, seq);
        put32(l4, 8, ack);
        l4[12] = (byte) (5 << 4 | ((flags >> 8) & 1));
        l4[13] = (byte) flags;
        put16(l4, 14, 65535);
        System.arraycopy(payload, 0, l4, 20, payload.length);
        put16(l4, 16, transportChecksum(src, dst, 6, l4));
        return ip(src, dst, 6, l4, 0, false, 0);
    }

    /** An Ethernet frame with a UDP datagram. */
    public static byte[] udp(byte[] src, int sport, byte[] dst, int dport, byte[] payload) {
        byte[] l4 = udpDatagram(src, sport, dst, dport, payload);
        return ip(src, dst, 17, l4, 0, false, 0);
    }

    /** A UDP datagram (header + payload) with its checksum, e.g. to fragment it. */
    public static byte[] udpDatagram(byte[] src, int sport, byte[] dst, int dport, byte[] payload) {
        byte[] l4 = new byte[8 + payload.length];
        put16(l4, 0, sport);
        put16(l4, 2, dport);
        put16(l4, 4, l4.length);
        System.arraycopy(payload, 0, l4, 8, payload.length);
        int c = transportChecksum(src, dst, 17, l4);
        put16(l4, 6, c == 0 ? 0xffff : c);
        return l4;
    }

    /**
     * An Ethernet frame with an IP packet carrying {@code l4} (whole, or one fragment of it:
     * {@code fragOffset} bytes in, more fragments following when {@code more}).
     */
    public static byte[] ip(byte[] src, byte[] dst, int proto, byte[] l4, int fragOffset, boolean more, int id) {
        boolean v6 = src.length == 16;
        boolean fragment = fragOffset != 0 || more;
        int ipLen = v6 ? 40 + (fragment ? 8 : 0) : 20;
        byte[] f = new byte[14 + ipLen + l4.length];
        System.arraycopy(MAC_B, 0, f, 0, 6);
        System.arraycopy(MAC_A, 0, f, 6, 6);
        put16(f, 12, v6 ? 0x86dd : 0x0800);
        int o = 14;
        if (v6) {
            f[o] = 0x60;
            put16(f, o + 4, ipLen - 40 + l4.length);
            f[o + 6] = (byte) (fragment ? 44 : proto);
            f[o + 7] = 64;
            System.arraycopy(src, 0, f, o + 8, 16);
            System.arraycopy(dst, 0, f, o + 24, 16);
            if (fragment) {
                f[o + 40] = (byte) proto;
                put16(f, o + 42, (fragOffset & ~7) | (more ? 1 : 0));
                put32(f, o + 44, id);
            }
        } else {
            f[o] = 0x45;
            put16(f, o + 2, ipLen + l4.length);
            put16(f, o + 4, id);
            put16(f, o + 6, (more ? 0x2000 : 0) | (fragOffset / 8));
            f[o + 8] = 64;
            f[o + 9] = (byte) proto;
            System.arraycopy(src, 0, f, o + 12, 4);
            System.arraycopy(dst, 0, f, o + 16, 4);
            put16(f, o + 10, checksum(f, o, 20, 0));
        }
        System.arraycopy(l4, 0, f, 14 + ipLen, l4.length);
        return f;
    }

    /** TCP/UDP checksum with the IPv4 or IPv6 pseudo-header. */
    static int transportChecksum(byte[] src, byte[] dst, int proto, byte[] l4) {
        long sum = 0;
        for (int i = 0; i < src.length; i += 2) {
            sum += ((src[i] & 0xff) << 8) | (src[i + 1] & 0xff);
            sum += ((dst[i] & 0xff) << 8) | (dst[i + 1] & 0xff);
        }
        sum += proto;
        sum += l4.length;
        return checksum(l4, 0, l4.length, sum);
    }

    static int checksum(byte[] b, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
