package io.sftap.source.pcap;

/**
 * One pcapng Interface Description Block: link type, snap length and the timestamp scale
 * ({@code if_tsresol}, {@code if_tsoffset}) that turns the interface's timestamp units into
 * nanoseconds.
 */
final class PcapngInterface {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    final int linkType;
    final int snapLength;
    /** Decimal exponent (units are 10^-exponent s) or binary (2^-exponent s). */
    private final int exponent;
    private final boolean binary;
    private final long offsetNanos;

    private PcapngInterface(int linkType, int snapLength, int exponent, boolean binary, long offsetSeconds) {
        this.linkType = linkType;
        this.snapLength = snapLength;
        this.exponent = exponent;
        this.binary = binary;
        this.offsetNanos = offsetSeconds * NANOS_PER_SECOND;
    }

    /**
     * @param tsresol the raw {@code if_tsresol} byte (6, microseconds, when absent)
     * @return null when the resolution cannot be represented (finer than 10^-18 or 2^-63 s)
     */
    static PcapngInterface of(int linkType, int snapLength, int tsresol, long offsetSeconds) {
        boolean binary = (tsresol & 0x80) != 0;
        int exponent = tsresol & 0x7f;
        if (binary ? exponent > 63 : exponent > 18) {
            return null;
        }
        return new PcapngInterface(linkType, snapLength, exponent, binary, offsetSeconds);
    }

    /** Nanoseconds since the epoch for a timestamp of {@code units} of this interface. */
    long toNanos(long units) {
        long seconds;
        long nanos;
        if (binary) {
            seconds = units >>> exponent;
            long fraction = exponent == 0 ? 0 : units & ((1L << exponent) - 1);
            // Keep fraction * 1e9 below 2^63: drop fraction bits finer than 2^-33 s first.
            int shift = exponent;
            if (shift > 33) {
                fraction >>>= shift - 33;
                shift = 33;
            }
            nanos = (fraction * NANOS_PER_SECOND) >>> shift;
        } else if (exponent <= 9) {
            return units * POW10[9 - exponent] + offsetNanos;
        } else {
            long unitsPerSecond = POW10[exponent];
            seconds = Long.divideUnsigned(units, unitsPerSecond);
            nanos = Long.remainderUnsigned(units, unitsPerSecond) / POW10[exponent - 9];
        }
        return seconds * NANOS_PER_SECOND + nanos + offsetNanos;
    }
}
