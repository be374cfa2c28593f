package io.sftap.source.wire;

import io.sftap.source.typeinfo.FlowKeyTypeInfoFactory;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The identity of a flow as SF-TAP defines it: (hop, l3, l4, endpoint1, endpoint2).
 *
 * <p>Invariant: endpoint1 {@code (addr1, port1)} is the bytewise-smaller endpoint (address bytes
 * compared unsigned, then the port in network byte order), so both directions of a flow map to the
 * same key. It is not the client; {@link Direction} says which endpoint sent a packet.
 *
 * <p>The key of {@code keyBy}, serialized by {@link FlowKeyTypeInfoFactory}'s compact, deterministic
 * serializer (its bytes are the RocksDB key); {@link #hashCode()} and {@link #equals} are
 * value-based (the byte arrays' contents).
 */
@TypeInfo(FlowKeyTypeInfoFactory.class)
public class FlowKey {
    /** L7 loopback depth, 0 for captured traffic. */
    public byte hop;
    /** 4 or 6. */
    public byte ipVersion;
    /** Transport protocol number. */
    public byte protocol;
    /** The smaller endpoint's address (4 or 16 bytes). */
    public byte[] addr1;
    /** The larger endpoint's address. */
    public byte[] addr2;
    /** The smaller endpoint's port. */
    public int port1;
    /** The larger endpoint's port. */
    public int port2;

    public FlowKey() {}

    public FlowKey(int hop, int ipVersion, int protocol, byte[] addr1, int port1, byte[] addr2, int port2) {
        this.hop = (byte) hop;
        this.ipVersion = (byte) ipVersion;
        this.protocol = (byte) protocol;
        this.addr1 = addr1;
        this.port1 = port1;
        this.addr2 = addr2;
        this.port2 = port2;
    }

    /** The key of the flow a whole (non-fragment) packet belongs to. */
    public static FlowKey of(Packet p) {
        if (compareEndpoints(p.srcAddr, p.srcPort, p.dstAddr, p.dstPort) <= 0) {
            return new FlowKey(p.hop, p.ipVersion, p.protocol, p.srcAddr, p.srcPort, p.dstAddr, p.dstPort);
        }
        return new FlowKey(p.hop, p.ipVersion, p.protocol, p.dstAddr, p.dstPort, p.srcAddr, p.srcPort);
    }

    /** Which endpoint of its flow sent this packet. */
    public static Direction directionOf(Packet p) {
        return compareEndpoints(p.srcAddr, p.srcPort, p.dstAddr, p.dstPort) <= 0
                ? Direction.FROM_ENDPOINT1
                : Direction.FROM_ENDPOINT2;
    }

    /** Compares (address, port) pairs as SF-TAP does: memcmp of the address, then the port. */
    public static int compareEndpoints(byte[] a, int aPort, byte[] b, int bPort) {
        int c = Addresses.compare(a, b);
        return c != 0 ? c : Integer.compare(aPort, bPort);
    }

    /**
     * SF-TAP's balance hash: {@code fold16(ntohs(port1 ^ port2) ^ ntohl(ip1 ^ ip2) + hop)}; for IPv6
     * the four 32-bit words of both addresses are XORed in.
     */
    public int balanceHash() {
        int h = (port1 ^ port2) & 0xffff;
        h ^= xorWords(addr1) ^ xorWords(addr2);
        h += hop & 0xff;
        return ((h >>> 16) ^ h) & 0xffff;
    }

    /** The balance slot among {@code n} sockets ({@code n} a power of two). */
    public int balanceSlot(int n) {
        return balanceHash() & (n - 1);
    }

    private static int xorWords(byte[] a) {
        int h = 0;
        for (int i = 0; i + 3 < a.length; i += 4) {
            h ^= ((a[i] & 0xff) << 24) | ((a[i + 1] & 0xff) << 16) | ((a[i + 2] & 0xff) << 8) | (a[i + 3] & 0xff);
        }
        return h;
    }

    public boolean isTcp() {
        return protocol == IpProtocols.TCP;
    }

    public boolean isUdp() {
        return protocol == IpProtocols.UDP;
    }

    /** True for ICMP and ICMPv6. */
    public boolean isIcmp() {
        return protocol == IpProtocols.ICMP || protocol == IpProtocols.ICMPV6;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FlowKey)) {
            return false;
        }
        FlowKey k = (FlowKey) o;
        return hop == k.hop
                && ipVersion == k.ipVersion
                && protocol == k.protocol
                && port1 == k.port1
                && port2 == k.port2
                && Arrays.equals(addr1, k.addr1)
                && Arrays.equals(addr2, k.addr2);
    }

    /**
     * The value hash, computed once: a packet's key is hashed by the partitioner, the key-group
     * assignment, the state cache and the new-flow filter. Valid because a key's fields are set
     * only while it is built (constructors, the serializer), never after it is first hashed.
     */
    private transient int hash;

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = computeHash();
            hash = h;
        }
        return h;
    }

    private int computeHash() {
        int h = hop;
        h = 31 * h + protocol;
        h = 31 * h + Arrays.hashCode(addr1);
        h = 31 * h + Arrays.hashCode(addr2);
        h = 31 * h + port1;
        return 31 * h + port2;
    }

    @Override
    public String toString() {
        return "ip1=" + Addresses.format(addr1) + ",ip2=" + Addresses.format(addr2)
                + ",port1=" + port1 + ",port2=" + port2 + ",hop=" + hop
                + ",l3=ipv" + ipVersion + ",l4=" + IpProtocols.name(protocol);
    }
}
