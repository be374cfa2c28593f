package io.sftap.source.wire;

import java.util.Arrays;

/**
 * Decodes the transport header (TCP, UDP, ICMP, ICMPv6) of a whole datagram into a {@link Packet}.
 *
 * <p>Used by the frame decoder for unfragmented datagrams and by the defragmenter for reassembled
 * ones, so both produce identical packets. Checks lengths before it reads (smoltcp's rule).
 */
public final class TransportDecoder {
    private TransportDecoder() {}

    /**
     * Fills ports, TCP fields and payload of {@code p} from the transport bytes {@code buf[off, off +
     * len)} (everything after the IP header chain). {@code p.protocol} must already be set. Other
     * protocols keep the whole transport bytes as payload.
     *
     * @return null on success, or the reason the datagram must be dropped
     */
    public static DropReason decode(Packet p, byte[] buf, int off, int len) {
        return decode(p, buf, off, len, len);
    }

    /**
     * As {@link #decode(Packet, byte[], int, int)} for a datagram of {@code wireLen} bytes of which
     * only {@code len} were captured (snaplen): allowed for TCP, whose {@link
     * Packet#payloadWireLength} then says how far the segment moves its stream.
     */
    public static DropReason decode(Packet p, byte[] buf, int off, int len, int wireLen) {
        p.fragment = false;
        if (wireLen > len && p.protocol != IpProtocols.TCP) {
            return DropReason.TRUNCATED_CAPTURE;
        }
        switch (p.protocol) {
            case IpProtocols.TCP:
                return decodeTcp(p, buf, off, len, wireLen);
            case IpProtocols.UDP:
                p.payloadWireLength = -1;
                return decodeUdp(p, buf, off, len);
            case IpProtocols.ICMP:
            case IpProtocols.ICMPV6:
                if (len < 4) {
                    return DropReason.TRUNCATED_TRANSPORT;
                }
                p.srcPort = 0;
                p.dstPort = 0;
                p.payload = Arrays.copyOfRange(buf, off, off + len);
                return null;
            default:
                return DropReason.UNSUPPORTED_TRANSPORT;
        }
    }

    private static DropReason decodeTcp(Packet p, byte[] b, int off, int len, int wireLen) {
        DropReason cut = wireLen > len ? DropReason.TRUNCATED_CAPTURE : DropReason.TRUNCATED_TRANSPORT;
        if (len < 20) {
            return cut;
        }
        int dataOffset = ((b[off + 12] & 0xf0) >>> 4) * 4;
        if (dataOffset < 20 || dataOffset > len) {
            return dataOffset < 20 ? DropReason.TRUNCATED_TRANSPORT : cut;
        }
        p.srcPort = u16(b, off);
        p.dstPort = u16(b, off + 2);
        p.seq = s32(b, off + 4);
        p.ack = s32(b, off + 8);
        p.tcpFlags = ((b[off + 12] & 0x01) << 8) | (b[off + 13] & 0xff);
        p.payload = dataOffset == len ? Packet.EMPTY : Arrays.copyOfRange(b, off + dataOffset, off + len);
        p.payloadWireLength = wireLen > len ? wireLen - dataOffset : -1;
        return null;
    }

    private static DropReason decodeUdp(Packet p, byte[] b, int off, int len) {
        if (len < 8) {
            return DropReason.TRUNCATED_TRANSPORT;
        }
        int udpLen = u16(b, off + 4);
        // A zero length is legal for IPv6 jumbograms; otherwise trust the smaller of the two lengths.
        int end = udpLen >= 8 && udpLen <= len ? udpLen : len;
        if (udpLen != 0 && udpLen < 8) {
            return DropReason.TRUNCATED_TRANSPORT;
        }
        p.srcPort = u16(b, off);
        p.dstPort = u16(b, off + 2);
        p.payload = end == 8 ? Packet.EMPTY : Arrays.copyOfRange(b, off + 8, off + end);
        return null;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    static int s32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
}
