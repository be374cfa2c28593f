package io.sftap.source.wire;

/**
 * Decodes a captured link-layer frame into a {@link Packet}: link header, IP header chain, then
 * transport (or fragment data).
 *
 * <p>Never throws on bad input: every frame it cannot use comes back as a {@link DropReason}. It
 * allocates only what the packet keeps (the addresses and the payload copy). Not thread-safe; use
 * one decoder per thread.
 */
public final class FrameDecoder {
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88a8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    /** PPPoE header (6 bytes) and the PPP protocol field (2 bytes). */
    private static final int PPPOE_HEADER = 8;
    private static final int PPP_IPV4 = 0x0021;
    private static final int PPP_IPV6 = 0x0057;
    /** Stacked tags beyond this are treated as garbage rather than walked. */
    private static final int MAX_VLAN_TAGS = 4;

    private static final int ETHERNET_HEADER = 14;
    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;
    private static final int LOOPBACK_HEADER = 4;

    private final IpPacketDecoder ip = new IpPacketDecoder();

    /**
     * Decodes {@code buf[off, off + len)}, the captured bytes of one frame of the given link type.
     *
     * @param out reset and filled on success; its contents are unspecified after a drop
     * @return null when {@code out} holds a packet (whole or fragment), otherwise why the frame is
     *     dropped
     */
    public DropReason decode(int linkType, byte[] buf, int off, int len, long timestampNanos, Packet out) {
        reset(out, timestampNanos);
        switch (linkType) {
            case LinkTypes.ETHERNET:
                if (len < ETHERNET_HEADER) {
                    return DropReason.TRUNCATED_LINK;
                }
                return etherType(TransportDecoder.u16(buf, off + 12), buf, off + ETHERNET_HEADER, len - ETHERNET_HEADER, out);
            case LinkTypes.LINUX_SLL:
                if (len < SLL_HEADER) {
                    return DropReason.TRUNCATED_LINK;
                }
                return etherType(TransportDecoder.u16(buf, off + 14), buf, off + SLL_HEADER, len - SLL_HEADER, out);
            case LinkTypes.LINUX_SLL2:
                if (len < SLL2_HEADER) {
                    return DropReason.TRUNCATED_LINK;
                }
                return etherType(TransportDecoder.u16(buf, off), buf, off + SLL2_HEADER, len - SLL2_HEADER, out);
            case LinkTypes.NULL:
            case LinkTypes.LOOP:
                if (len < LOOPBACK_HEADER) {
                    return DropReason.TRUNCATED_LINK;
                }
                return addressFamily(TransportDecoder.s32(buf, off), buf, off + LOOPBACK_HEADER, len - LOOPBACK_HEADER, out);
            case LinkTypes.RAW:
            case LinkTypes.RAW_BSD12:
            case LinkTypes.RAW_BSD14:
                return ip.decodeAny(buf, off, len, out);
            case LinkTypes.IPV4:
                return ip.decodeIpv4(buf, off, len, out);
            case LinkTypes.IPV6:
                return ip.decodeIpv6(buf, off, len, out);
            default:
                return DropReason.UNSUPPORTED_LINK_TYPE;
        }
    }

    /** Follows 802.1Q / 802.1ad tags (stacked, up to a bound) to the IP header. */
    private DropReason etherType(int type, byte[] b, int off, int len, Packet out) {
        for (int tags = 0; type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD; tags++) {
            if (tags == MAX_VLAN_TAGS) {
                return DropReason.NOT_IP;
            }
            if (len < 4) {
                return DropReason.TRUNCATED_LINK;
            }
            type = TransportDecoder.u16(b, off + 2);
            off += 4;
            len -= 4;
        }
        switch (type) {
            case ETHERTYPE_IPV4:
                return ip.decodeIpv4(b, off, len, out);
            case ETHERTYPE_IPV6:
                return ip.decodeIpv6(b, off, len, out);
            case ETHERTYPE_PPPOE_SESSION:
                return pppoeSession(b, off, len, out);
            default:
                return DropReason.NOT_IP;
        }
    }

    /** PPPoE session stage (RFC 2516): IP carried in PPP, common on DSL access links. */
    private DropReason pppoeSession(byte[] b, int off, int len, Packet out) {
        if (len < PPPOE_HEADER) {
            return DropReason.TRUNCATED_LINK;
        }
        switch (TransportDecoder.u16(b, off + 6)) {
            case PPP_IPV4:
                return ip.decodeIpv4(b, off + PPPOE_HEADER, len - PPPOE_HEADER, out);
            case PPP_IPV6:
                return ip.decodeIpv6(b, off + PPPOE_HEADER, len - PPPOE_HEADER, out);
            default:
                return DropReason.NOT_IP; // LCP, IPCP and other PPP control traffic
        }
    }

    /**
     * BSD loopback: the family is in the capturing host's byte order (NULL) or network order
     * (LOOP), but files lie about both, so either order is accepted. Families are small numbers, so
     * a value with only high bytes set is a little-endian one.
     */
    private DropReason addressFamily(int raw, byte[] b, int off, int len, Packet out) {
        int family = (raw & 0xffff0000) != 0 && (raw & 0x0000ffff) == 0 ? Integer.reverseBytes(raw) : raw;
        switch (family) {
            case 2: // AF_INET everywhere
                return ip.decodeIpv4(b, off, len, out);
            case 10: // AF_INET6 Linux
            case 24: // NetBSD, OpenBSD, BSD/OS
            case 28: // FreeBSD, DragonFly
            case 30: // macOS
                return ip.decodeIpv6(b, off, len, out);
            default:
                return DropReason.NOT_IP;
        }
    }

    private static void reset(Packet p, long timestampNanos) {
        p.timestampNanos = timestampNanos;
        p.ipVersion = 0;
        p.protocol = 0;
        p.srcAddr = null;
        p.dstAddr = null;
        p.srcPort = 0;
        p.dstPort = 0;
        p.seq = 0;
        p.ack = 0;
        p.tcpFlags = 0;
        p.fragment = false;
        p.fragmentId = 0;
        p.fragmentOffset = 0;
        p.moreFragments = false;
        p.payload = Packet.EMPTY;
        p.payloadWireLength = -1;
        p.hop = 0;
        p.streamEvent = Packet.STREAM_NONE;
    }
}
