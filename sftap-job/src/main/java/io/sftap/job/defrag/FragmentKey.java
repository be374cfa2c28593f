package io.sftap.job.defrag;

import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.IpProtocols;
import io.sftap.source.wire.Packet;
import java.util.Arrays;

/**
 * The identity of one fragmented datagram: the fields that RFC 791 (IPv4: source, destination,
 * protocol, identification) and RFC 8200 (IPv6: source, destination, identification) use to
 * match fragments, plus the IP version and the L7 loopback depth.
 *
 * <p>A Flink POJO used as the key of {@code keyBy}; {@link #equals} and {@link #hashCode()} are
 * value-based (the byte arrays' contents), so the key group of a datagram is the same in every
 * JVM.
 */
public class FragmentKey {
    /** 4 or 6. */
    public byte ipVersion;
    /** IPv4: the protocol field. IPv6: always 0, since RFC 8200 does not key on Next Header. */
    public byte protocol;
    /** L7 loopback depth: fragments re-injected by an analyzer never mix with captured ones. */
    public int hop;
    /** IPv4 identification (16 bits) or IPv6 fragment identification (32 bits). */
    public int id;
    /** Source address, 4 or 16 bytes. */
    public byte[] srcAddr;
    /** Destination address, same length as {@link #srcAddr}. */
    public byte[] dstAddr;

    public FragmentKey() {}

    public FragmentKey(int ipVersion, int protocol, int hop, int id, byte[] srcAddr, byte[] dstAddr) {
        this.ipVersion = (byte) ipVersion;
        this.protocol = (byte) protocol;
        this.hop = hop;
        this.id = id;
        this.srcAddr = srcAddr;
        this.dstAddr = dstAddr;
    }

    /** The key of the datagram a fragment belongs to. */
    public static FragmentKey of(Packet fragment) {
        int protocol = fragment.ipVersion == 4 ? fragment.protocol : 0;
        return new FragmentKey(
                fragment.ipVersion,
                protocol,
                fragment.hop,
                fragment.fragmentId,
                fragment.srcAddr,
                fragment.dstAddr);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FragmentKey)) {
            return false;
        }
        FragmentKey k = (FragmentKey) o;
        return ipVersion == k.ipVersion
                && protocol == k.protocol
                && hop == k.hop
                && id == k.id
                && Arrays.equals(srcAddr, k.srcAddr)
                && Arrays.equals(dstAddr, k.dstAddr);
    }

    @Override
    public int hashCode() {
        int h = ipVersion;
        h = 31 * h + protocol;
        h = 31 * h + hop;
        h = 31 * h + id;
        h = 31 * h + Arrays.hashCode(srcAddr);
        return 31 * h + Arrays.hashCode(dstAddr);
    }

    @Override
    public String toString() {
        return "FragmentKey{v"
                + ipVersion
                + ", "
                + Addresses.format(srcAddr)
                + " > "
                + Addresses.format(dstAddr)
                + ", id="
                + Integer.toUnsignedString(id)
                + (ipVersion == 4 ? ", proto=" + IpProtocols.name(protocol) : "")
                + ", hop="
                + hop
                + "}";
    }
}
