package io.sftap.analyzer.sdk;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Text forms of addresses and endpoints as analyzers print them. */
public final class Endpoints {
    private Endpoints() {}

    /** The address without a host name lookup: dotted quad or RFC 5952 IPv6. */
    public static String address(InetAddress ip) {
        String s = ip.getHostAddress();
        int pct = s.indexOf('%');
        if (pct >= 0) {
            s = s.substring(0, pct);
        }
        return ip instanceof Inet6Address ? compressIpv6(s) : s;
    }

    /** {@code ip:port}, {@code [ip6]:port}, or the bare address for protocols without ports. */
    public static String format(InetAddress ip, int port, L4 l4) {
        String a = address(ip);
        if (!l4.hasPorts) {
            return a;
        }
        return (ip instanceof Inet6Address ? "[" + a + "]" : a) + ":" + port;
    }

    /** Java prints IPv6 uncompressed ({@code 0:0:0:0:0:0:0:1}); this gives {@code ::1}. */
    private static String compressIpv6(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }
}
