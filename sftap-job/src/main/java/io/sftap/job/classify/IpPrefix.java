package io.sftap.job.classify;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 prefix such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a host prefix. */
public final class IpPrefix implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Network address bytes (4 or 16), host bits zero. */
    private final byte[] network;
    public final int length;

    private IpPrefix(byte[] network, int length) {
        this.network = network;
        this.length = length;
    }

    /**
     * Parses {@code addr} or {@code addr/len}. Only literals are accepted: never a DNS lookup.
     *
     * @throws IllegalArgumentException with a message fit for users
     */
    public static IpPrefix parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        byte[] addr = parseAddress(slash < 0 ? s : s.substring(0, slash));
        int max = addr.length * 8;
        int len = max;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(s.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                len = -1;
            }
            if (len < 0 || len > max) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "' (0.." + max + ")");
            }
        }
        byte[] net = addr.clone();
        for (int bit = len; bit < max; bit++) {
            net[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new IpPrefix(net, len);
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 literal.
     *
     * @throws IllegalArgumentException when {@code s} is not an address literal
     */
    public static byte[] parseAddress(String s) {
        String t = s.trim();
        if (t.indexOf(':') >= 0) {
            if (!t.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv6 address");
            }
            try {
                // A literal containing ':' is parsed, never resolved.
                byte[] b = InetAddress.getByName(t).getAddress();
                if (b.length == 16) {
                    return b;
                }
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(b, 0, mapped, 12, 4);
                return mapped;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv6 address");
            }
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address (a.b.c.d or an IPv6 literal; host names are not allowed)");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
            }
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    /** True when {@code addr} (4 or 16 bytes) lies in this prefix. */
    public boolean contains(byte[] addr) {
        if (addr == null || addr.length != network.length) {
            return false;
        }
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (addr[i] != network[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff00 >>> rest) & 0xff;
        return (addr[full] & mask) == (network[full] & mask);
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix && length == ((IpPrefix) o).length && Arrays.equals(network, ((IpPrefix) o).network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + length;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + length;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
