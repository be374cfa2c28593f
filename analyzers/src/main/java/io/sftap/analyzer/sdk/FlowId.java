package io.sftap.analyzer.sdk;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Identity of one flow as the interfaces name it: (hop, l3, l4, endpoint1, endpoint2).
 *
 * <p>Endpoint 1 is the bytewise-smaller endpoint (address bytes, then port), not the client; the
 * {@code from} of a DATA event says which endpoint sent it. ICMP flows have ports 0.
 */
public record FlowId(InetAddress ip1, InetAddress ip2, int port1, int port2, int hop, L3 l3, L4 l4) {

    public FlowId {
        Objects.requireNonNull(ip1, "ip1");
        Objects.requireNonNull(ip2, "ip2");
        Objects.requireNonNull(l3, "l3");
        Objects.requireNonNull(l4, "l4");
    }

    /**
     * Builds the id of a flow between two endpoints given in any order, putting the smaller one
     * first as sftap does; use {@link #fromOf(InetAddress, int)} to get the {@code from} of a side.
     */
    public static FlowId ordered(int hop, L4 l4, InetAddress a, int portA, InetAddress b, int portB) {
        L3 l3 = a instanceof Inet6Address ? L3.IPV6 : L3.IPV4;
        if ((b instanceof Inet6Address ? L3.IPV6 : L3.IPV4) != l3) {
            throw new IllegalArgumentException("endpoints of different address families: " + a + ", " + b);
        }
        if (compareEndpoints(a, portA, b, portB) <= 0) {
            return new FlowId(a, b, portA, portB, hop, l3, l4);
        }
        return new FlowId(b, a, portB, portA, hop, l3, l4);
    }

    /** The {@code from} value (1 or 2) of the endpoint {@code ip}:{@code port}. */
    public int fromOf(InetAddress ip, int port) {
        if (ip1.equals(ip) && port1 == port) {
            return 1;
        }
        if (ip2.equals(ip) && port2 == port) {
            return 2;
        }
        throw new IllegalArgumentException(ip + ":" + port + " is not an endpoint of " + this);
    }

    /** Address of endpoint {@code from} (1 or 2). */
    public InetAddress ip(int from) {
        return from == 2 ? ip2 : ip1;
    }

    /** Port of endpoint {@code from} (1 or 2). */
    public int port(int from) {
        return from == 2 ? port2 : port1;
    }

    private static int compareEndpoints(InetAddress a, int portA, InetAddress b, int portB) {
        int c = java.util.Arrays.compareUnsigned(a.getAddress(), b.getAddress());
        return c != 0 ? c : Integer.compare(portA, portB);
    }

    @Override
    public String toString() {
        return l3.text + "/" + l4.text + " " + Endpoints.format(ip1, port1, l4) + " "
                + Endpoints.format(ip2, port2, l4) + " hop=" + hop;
    }
}
