package io.sftap.source.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Formatting and comparison of raw IPv4/IPv6 address bytes. */
public final class Addresses {
    private Addresses() {}

    /** Dotted quad for IPv4; RFC 5952 compressed form for IPv6 (as tshark and SF-TAP print). */
    public static String format(byte[] addr) {
        if (addr == null) {
            return "null";
        }
        if (addr.length == 4) {
            return (addr[0] & 0xff) + "." + (addr[1] & 0xff) + "." + (addr[2] & 0xff) + "." + (addr[3] & 0xff);
        }
        if (addr.length == 16) {
            return formatIpv6(addr);
        }
        throw new IllegalArgumentException("address of " + addr.length + " bytes");
    }

    /** Parses a literal IPv4 or IPv6 address (no host name lookup). */
    public static byte[] parse(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    /** Unsigned bytewise comparison, as memcmp. */
    public static int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return a.length - b.length;
    }

    private static String formatIpv6(byte[] a) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        // RFC 5952: the longest run (>= 2) of zero words becomes "::", the first one on ties.
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        // IPv4-mapped addresses print their last 32 bits as a dotted quad.
        boolean mapped = bestStart == 0 && bestLen == 5 && w[5] == 0xffff;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                if (mapped) {
                    sb.append("ffff:")
                            .append(a[12] & 0xff).append('.').append(a[13] & 0xff).append('.')
                            .append(a[14] & 0xff).append('.').append(a[15] & 0xff);
                    return sb.toString();
                }
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }
}
