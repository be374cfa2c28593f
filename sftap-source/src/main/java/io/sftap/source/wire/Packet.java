package io.sftap.source.wire;

import io.sftap.source.typeinfo.PacketTypeInfoFactory;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One decoded IP packet: the facts the pipeline needs from a captured frame.
 *
 * <p>Public fields and a no-argument constructor; it crosses operators with the compact serializer
 * of {@link PacketTypeInfoFactory} (no POJO reflection, no Kryo).
 * Two shapes share this class:
 *
 * <ul>
 *   <li>a whole datagram ({@code fragment == false}): ports, TCP fields and {@code payload} (the
 *       transport payload, after the TCP/UDP header; for ICMP the whole ICMP message) are set;
 *   <li>an IP fragment ({@code fragment == true}): {@code payload} holds the fragment's data (the
 *       bytes after the IPv4 header or the IPv6 fragment header), {@code fragmentOffset} is in
 *       bytes, ports and TCP fields are unset. The defragmenter turns the fragments back into one
 *       whole datagram with {@link TransportDecoder}.
 * </ul>
 */
@TypeInfo(PacketTypeInfoFactory.class)
public class Packet {
    /** Capture time in nanoseconds since the epoch. */
    public long timestampNanos;
    /** 4 or 6. */
    public byte ipVersion;
    /** Transport protocol number (after IPv6 extension headers): 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6. */
    public byte protocol;
    /** Source address, 4 bytes (IPv4) or 16 bytes (IPv6). */
    public byte[] srcAddr;
    /** Destination address, same length as {@link #srcAddr}. */
    public byte[] dstAddr;
    /** Source port, 0..65535; 0 for protocols without ports. */
    public int srcPort;
    /** Destination port, 0..65535; 0 for protocols without ports. */
    public int dstPort;
    /** TCP sequence number (unsigned 32-bit value held in an int). */
    public int seq;
    /** TCP acknowledgement number (unsigned 32-bit value held in an int). */
    public int ack;
    /** TCP flags, the low 9 bits of the TCP header's flags field (see {@link TcpFlags}). */
    public int tcpFlags;
    /** True when this is an IP fragment (see the class comment). */
    public boolean fragment;
    /** IPv4 identification (16 bits) or IPv6 fragment identification (32 bits). */
    public int fragmentId;
    /** Offset of this fragment's data in the original datagram, in bytes. */
    public int fragmentOffset;
    /** The More Fragments flag. */
    public boolean moreFragments;
    /** Transport payload, or fragment data; never null (empty when there is none). */
    public byte[] payload = EMPTY;
    /**
     * Length of the TCP payload on the wire when the capture cut the segment short (snaplen), or
     * -1 when {@link #payload} is the whole payload. See {@link #segmentLength()}.
     */
    public int payloadWireLength = -1;
    /** L7 loopback depth: 0 for captured traffic, n for flows re-injected n times. */
    public int hop;
    /**
     * {@link #STREAM_NONE} for a captured packet; otherwise this is not a packet but an event of a
     * flow an analyzer re-injected through the L7 loopback ({@link #STREAM_CREATED}, {@link
     * #STREAM_DATA} with {@link #payload} sent by {@code srcAddr:srcPort}, {@link
     * #STREAM_DESTROYED}): already reassembled, so it skips TCP reassembly but is classified again.
     */
    public byte streamEvent = STREAM_NONE;

    public static final byte STREAM_NONE = 0;
    public static final byte STREAM_CREATED = 1;
    public static final byte STREAM_DATA = 2;
    public static final byte STREAM_DESTROYED = 3;

    public static final byte[] EMPTY = new byte[0];

    public Packet() {}

    /** The payload's length on the wire: how far a TCP segment moves its stream. */
    public int segmentLength() {
        return payloadWireLength < 0 ? payload.length : payloadWireLength;
    }

    public boolean isTcp() {
        return protocol == IpProtocols.TCP;
    }

    public boolean isUdp() {
        return protocol == IpProtocols.UDP;
    }

    public boolean hasFlag(int flag) {
        return (tcpFlags & flag) != 0;
    }

    @Override
    public String toString() {
        return "Packet{t="
                + timestampNanos
                + ", v"
                + ipVersion
                + ", proto="
                + (protocol & 0xff)
                + ", "
                + Addresses.format(srcAddr)
                + ":"
                + srcPort
                + " > "
                + Addresses.format(dstAddr)
                + ":"
                + dstPort
                + (fragment
                        ? ", frag id=" + fragmentId + " off=" + fragmentOffset + " mf=" + moreFragments
                        : ", seq=" + Integer.toUnsignedString(seq) + " flags=" + TcpFlags.toString(tcpFlags))
                + ", len="
                + payload.length
                + "}";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Packet)) {
            return false;
        }
        Packet p = (Packet) o;
        return timestampNanos == p.timestampNanos
                && ipVersion == p.ipVersion
                && protocol == p.protocol
                && srcPort == p.srcPort
                && dstPort == p.dstPort
                && seq == p.seq
                && ack == p.ack
                && tcpFlags == p.tcpFlags
                && fragment == p.fragment
                && fragmentId == p.fragmentId
                && fragmentOffset == p.fragmentOffset
                && moreFragments == p.moreFragments
                && hop == p.hop
                && payloadWireLength == p.payloadWireLength
                && streamEvent == p.streamEvent
                && Arrays.equals(srcAddr, p.srcAddr)
                && Arrays.equals(dstAddr, p.dstAddr)
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(timestampNanos);
        h = 31 * h + Arrays.hashCode(srcAddr);
        h = 31 * h + Arrays.hashCode(dstAddr);
        h = 31 * h + srcPort;
        h = 31 * h + dstPort;
        h = 31 * h + seq;
        return 31 * h + Arrays.hashCode(payload);
    }
}
