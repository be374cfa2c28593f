package io.sftap.sinks.wire;

import io.sftap.source.wire.Addresses;

/**
 * Address text exactly as SF-TAP prints it: glibc's {@code inet_ntop}.
 *
 * <p>This differs from {@link Addresses#format} in one corner that analyzers can see: glibc also
 * prints an IPv4-compatible address ({@code ::a.b.c.d}, six leading zero words followed by a
 * non-zero word) with a dotted quad, besides IPv4-mapped ones ({@code ::ffff:a.b.c.d}).
 */
public final class AddressText {
    private AddressText() {}

    /** Dotted quad for 4 bytes; for 16 bytes glibc's IPv6 text (RFC 5952 compression). */
    public static String format(byte[] addr) {
        if (addr.length == 4) {
            return Addresses.format(addr);
        }
        if (addr.length != 16) {
            throw new IllegalArgumentException("address of " + addr.length + " bytes");
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
        }
        // The first longest run of at least two zero words becomes "::".
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLen) {
                if (i == bestStart) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            boolean embeddedIpv4 = i == 6 && bestStart == 0
                    && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff));
            if (embeddedIpv4) {
                sb.append(addr[12] & 0xff).append('.').append(addr[13] & 0xff).append('.')
                        .append(addr[14] & 0xff).append('.').append(addr[15] & 0xff);
                return sb.toString();
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestStart >= 0 && bestStart + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    /** Parses IPv4 or IPv6 text into exactly 4 or 16 bytes ({@code ipv6} selects which). */
    public static byte[] parse(String text, boolean ipv6) {
        byte[] a = Addresses.parse(text);
        if (ipv6 && a.length == 4 && text.indexOf(':') >= 0) {
            // InetAddress folds "::ffff:a.b.c.d" to 4 bytes; the wire keeps the IPv6 form.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(a, 0, mapped, 12, 4);
            return mapped;
        }
        if (a.length != (ipv6 ? 16 : 4)) {
            throw new IllegalArgumentException("not an " + (ipv6 ? "IPv6" : "IPv4") + " address: " + text);
        }
        return a;
    }
}
