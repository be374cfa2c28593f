package io.sftap.sinks.replicate;

/** The RFC 1071 one's-complement sum used by IPv4 headers and UDP. */
final class InternetChecksum {
    private InternetChecksum() {}

    /** Adds {@code len} bytes of {@code b} from {@code off} to a running 32-bit sum (big-endian words). */
    static long add(long sum, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits and complements it. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
