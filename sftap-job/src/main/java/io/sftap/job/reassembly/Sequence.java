package io.sftap.job.reassembly;

/**
 * A TCP sequence (or acknowledgement) number: 32 bits that wrap around at 2^32.
 *
 * <p>Comparisons are only meaningful between numbers less than 2^31 apart (RFC 1982 serial number
 * arithmetic), which every live TCP window satisfies.
 */
public record Sequence(int value) {

    public static Sequence of(int value) {
        return new Sequence(value);
    }

    /** This number moved forward by {@code n} bytes, wrapping at 2^32. */
    public Sequence add(int n) {
        return new Sequence(value + n);
    }

    /** Signed distance {@code this - other}: positive if this lies after {@code other}. */
    public int difference(Sequence other) {
        return value - other.value;
    }

    public boolean isBefore(Sequence other) {
        return difference(other) < 0;
    }

    public boolean isAfter(Sequence other) {
        return difference(other) > 0;
    }

    /** Wrap-aware three-way comparison (not a total order over all 2^32 values). */
    public static int compare(Sequence a, Sequence b) {
        return Integer.signum(a.difference(b));
    }

    /** The later of two numbers. */
    public static Sequence later(Sequence a, Sequence b) {
        return a.isBefore(b) ? b : a;
    }

    @Override
    public String toString() {
        return Integer.toUnsignedString(value);
    }
}
