package io.sftap.source.wire;

import java.util.Arrays;

/**
 * Decodes an IPv4 or IPv6 packet (header, IPv6 extension chain, then transport) into a {@link
 * Packet}; fragments come out as fragment packets for the defragmenter.
 *
 * <p>Every length is checked before it is read. Not thread-safe (it reuses its extension walker).
 */
final class IpPacketDecoder {
    private static final int IPV4_MIN_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int IPV4_MORE_FRAGMENTS = 0x2000;
    private static final int IPV4_OFFSET_MASK = 0x1fff;
    private static final int MAX_DATAGRAM = 65535;
    /** IP-in-IP (RFC 2003) and IPv6-in-IPv4 (6in4, RFC 4213) carry a whole inner IP packet. */
    private static final int PROTO_IPIP = 4;
    private static final int PROTO_IPV6_IN_IP = 41;
    /** Tunnels inside tunnels beyond this depth are not followed. */
    private static final int MAX_TUNNEL_DEPTH = 3;

    private int tunnelDepth;

    private final Ipv6ExtensionHeaders extensions = new Ipv6ExtensionHeaders();

    /** Decodes by the version nibble (raw-IP link types). */
    DropReason decodeAny(byte[] b, int off, int len, Packet out) {
        if (len < 1) {
            return DropReason.TRUNCATED_IP;
        }
        switch ((b[off] & 0xf0) >>> 4) {
            case 4:
                return decodeIpv4(b, off, len, out);
            case 6:
                return decodeIpv6(b, off, len, out);
            default:
                return DropReason.NOT_IP;
        }
    }

    DropReason decodeIpv4(byte[] b, int off, int len, Packet out) {
        if (len < IPV4_MIN_HEADER) {
            return DropReason.TRUNCATED_IP;
        }
        if ((b[off] & 0xf0) != 0x40) {
            return DropReason.MALFORMED_IP;
        }
        int headerLength = (b[off] & 0x0f) * 4;
        if (headerLength < IPV4_MIN_HEADER) {
            return DropReason.MALFORMED_IP;
        }
        if (len < headerLength) {
            return DropReason.TRUNCATED_IP;
        }
        int totalLength = TransportDecoder.u16(b, off + 2);
        if (totalLength == 0) {
            // Captured before TCP segmentation offload filled it in (as Zeek does, trust the capture).
            totalLength = Math.min(len, MAX_DATAGRAM);
        }
        if (totalLength < headerLength) {
            return DropReason.MALFORMED_IP;
        }
        // A snaplen-truncated TCP segment still moves its stream forward by its length on the wire;
        // everything else that was cut short is dropped.
        int wireLength = totalLength;
        if (len < totalLength) {
            if (b[off + 9] != IpProtocols.TCP || (TransportDecoder.u16(b, off + 6) & 0x3fff) != 0) {
                return DropReason.TRUNCATED_CAPTURE;
            }
            totalLength = len;
        }
        // Bytes past totalLength are Ethernet padding or an FCS, not data.
        out.ipVersion = 4;
        out.protocol = b[off + 9];
        out.srcAddr = Arrays.copyOfRange(b, off + 12, off + 16);
        out.dstAddr = Arrays.copyOfRange(b, off + 16, off + 20);
        int flagsAndOffset = TransportDecoder.u16(b, off + 6);
        int fragmentOffset = (flagsAndOffset & IPV4_OFFSET_MASK) * 8;
        boolean moreFragments = (flagsAndOffset & IPV4_MORE_FRAGMENTS) != 0;
        int dataOff = off + headerLength;
        int dataLen = totalLength - headerLength;
        if (moreFragments || fragmentOffset != 0) {
            return fragment(out, TransportDecoder.u16(b, off + 4), fragmentOffset, moreFragments, b, dataOff, dataLen);
        }
        if (isTunnel(out.protocol) && wireLength == totalLength) {
            return tunnelled(b, dataOff, dataLen, out);
        }
        return TransportDecoder.decode(out, b, dataOff, dataLen, wireLength - headerLength);
    }

    DropReason decodeIpv6(byte[] b, int off, int len, Packet out) {
        if (len < IPV6_HEADER) {
            return DropReason.TRUNCATED_IP;
        }
        if ((b[off] & 0xf0) != 0x60) {
            return DropReason.MALFORMED_IP;
        }
        int payloadLength = TransportDecoder.u16(b, off + 4);
        int end;
        int wireEnd;
        boolean truncated = false;
        if (payloadLength == 0) {
            // A jumbogram or a segmentation-offload capture: the capture is all we have.
            end = off + len;
            wireEnd = end;
        } else if (len - IPV6_HEADER < payloadLength) {
            truncated = true; // allowed for whole TCP segments only (checked below)
            end = off + len;
            wireEnd = off + IPV6_HEADER + payloadLength;
        } else {
            end = off + IPV6_HEADER + payloadLength;
            wireEnd = end;
        }
        out.ipVersion = 6;
        out.srcAddr = Arrays.copyOfRange(b, off + 8, off + 24);
        out.dstAddr = Arrays.copyOfRange(b, off + 24, off + 40);
        DropReason bad = extensions.walk(b[off + 6] & 0xff, b, off + IPV6_HEADER, end);
        if (bad != null) {
            return bad;
        }
        out.protocol = (byte) extensions.nextHeader;
        if (truncated && (extensions.fragment || out.protocol != IpProtocols.TCP)) {
            return DropReason.TRUNCATED_CAPTURE;
        }
        if (extensions.fragment) {
            return fragment(out, extensions.fragmentId, extensions.fragmentOffset, extensions.moreFragments,
                    b, extensions.offset, end - extensions.offset);
        }
        if (isTunnel(out.protocol) && !truncated) {
            return tunnelled(b, extensions.offset, end - extensions.offset, out);
        }
        return TransportDecoder.decode(out, b, extensions.offset, end - extensions.offset, wireEnd - extensions.offset);
    }

    private boolean isTunnel(byte protocol) {
        return (protocol == PROTO_IPIP || protocol == PROTO_IPV6_IN_IP) && tunnelDepth < MAX_TUNNEL_DEPTH;
    }

    /** Decodes the inner packet of an IP tunnel; the flow is the inner one, as analyzers expect. */
    private DropReason tunnelled(byte[] b, int off, int len, Packet out) {
        tunnelDepth++;
        try {
            return decodeAny(b, off, len, out);
        } finally {
            tunnelDepth--;
        }
    }

    private static DropReason fragment(
            Packet out, int id, int offset, boolean more, byte[] b, int dataOff, int dataLen) {
        if (offset + dataLen > MAX_DATAGRAM) {
            return DropReason.FRAGMENT_MALFORMED;
        }
        out.fragment = true;
        out.fragmentId = id;
        out.fragmentOffset = offset;
        out.moreFragments = more;
        out.payload = dataLen == 0 ? Packet.EMPTY : Arrays.copyOfRange(b, dataOff, dataOff + dataLen);
        return null;
    }
}
