package io.sftap.sinks.wire;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The {@code time} of the wire formats: a {@code struct timeval} (seconds, microseconds).
 *
 * <p>The text format prints it as SF-TAP does: {@code double t = tv_sec + tv_usec * 0.000001},
 * then {@code boost::lexical_cast<std::string>(t)}, which is C's {@code %.17g}. The double keeps
 * about 7 decimals for present-day times, so the text can differ from the microseconds (for
 * example 1437142526 s + 100000 us prints as {@code 1437142526.0999999}); analyzers written for
 * SF-TAP already see exactly that, so we print the same bytes.
 */
public final class WireTime {
    private static final int SIGNIFICANT_DIGITS = 17;
    private static final MathContext ROUND_17 = new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN);

    private WireTime() {}

    /** Whole seconds of a nanosecond timestamp (floor, so negative times stay consistent). */
    public static long seconds(long nanos) {
        return Math.floorDiv(nanos, 1_000_000_000L);
    }

    /** Microseconds within the second (truncated, as a capture's {@code timeval} holds them). */
    public static long micros(long nanos) {
        return Math.floorMod(nanos, 1_000_000_000L) / 1_000L;
    }

    /** Nanoseconds of a {@code timeval}. */
    public static long nanos(long seconds, long micros) {
        return seconds * 1_000_000_000L + micros * 1_000L;
    }

    /** The text format's {@code time=} value, byte for byte as SF-TAP writes it. */
    public static String format(long nanos) {
        double t = (double) seconds(nanos) + (double) micros(nanos) * 0.000001;
        return formatG17(t);
    }

    /** Parses a {@code time=} value back to nanoseconds, rounded to the microsecond. */
    public static long parse(String text) {
        BigDecimal t = new BigDecimal(text.trim());
        BigDecimal micros = t.movePointRight(6).setScale(0, RoundingMode.HALF_EVEN);
        return micros.longValueExact() * 1_000L;
    }

    /**
     * {@link #parse} for the common shape, read from bytes: digits, optionally a point and more
     * digits, at most 9,000,000,000 seconds. Returns {@link Long#MIN_VALUE} for anything else
     * (then {@link #parse} decides); where it returns a value, it is the one {@link #parse} gives.
     */
    static long parseSimple(byte[] b, int from, int to) {
        int at = from;
        long seconds = 0;
        while (at < to && b[at] >= '0' && b[at] <= '9') {
            if (at - from >= 10) {
                return Long.MIN_VALUE;
            }
            seconds = seconds * 10 + (b[at++] - '0');
        }
        if (at == from || seconds > 9_000_000_000L) {
            return Long.MIN_VALUE;
        }
        long micros = 0;
        if (at < to) {
            if (b[at++] != '.') {
                return Long.MIN_VALUE;
            }
            for (int i = 0; i < 6; i++) {
                micros *= 10;
                if (at < to) {
                    int d = b[at++] - '0';
                    if (d < 0 || d > 9) {
                        return Long.MIN_VALUE;
                    }
                    micros += d;
                }
            }
            // HALF_EVEN on the digits after the sixth: above half up, below down, a tie to even.
            int roundDigit = -1;
            boolean restNonZero = false;
            for (; at < to; at++) {
                int d = b[at] - '0';
                if (d < 0 || d > 9) {
                    return Long.MIN_VALUE;
                }
                if (roundDigit < 0) {
                    roundDigit = d;
                } else if (d != 0) {
                    restNonZero = true;
                }
            }
            if (roundDigit > 5 || (roundDigit == 5 && (restNonZero || (micros & 1) == 1))) {
                micros++;
            }
        }
        return (seconds * 1_000_000L + micros) * 1_000L;
    }

    /** C's {@code printf("%.17g", v)} for finite values. */
    static String formatG17(double v) {
        String fast = formatG17Fast(v);
        return fast != null ? fast : formatG17Exact(v);
    }

    private static final long[] POW10 = new long[18];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /**
     * {@code %.17g} of {@code v} in [1, 2^53) (every capture time) in integer arithmetic: the
     * double is {@code m * 2^e} exactly, so {@code v * 10^d} is the 107-bit product {@code m * 10^d}
     * shifted right by {@code -e}, rounded half-even on the exact remainder as glibc does. Returns
     * null outside that range, or when rounding carries into one more digit (the exact path
     * handles those).
     */
    static String formatG17Fast(double v) {
        if (!(v >= 1.0 && v < 0x1p53)) {
            return null;
        }
        long bits = Double.doubleToRawLongBits(v);
        int shift = 1075 - (int) ((bits >>> 52) & 0x7ff); // v = m / 2^shift, 0 <= shift <= 52
        long m = (bits & 0xfffffffffffffL) | 0x10000000000000L;
        long whole = m >>> shift;
        int intDigits = 1;
        while (intDigits < 17 && whole >= POW10[intDigits]) {
            intDigits++;
        }
        int decimals = SIGNIFICANT_DIGITS - intDigits;
        long pow = POW10[decimals];
        long hi = Math.multiplyHigh(m, pow); // m, pow < 2^63: the signed high word is exact
        long lo = m * pow;
        long q;
        if (shift == 0) {
            q = lo;
        } else {
            q = (hi << (64 - shift)) | (lo >>> shift);
            long rest = lo & ((1L << shift) - 1);
            long half = 1L << (shift - 1);
            if (rest > half || (rest == half && (q & 1) == 1)) {
                q++;
            }
        }
        if (q >= POW10[SIGNIFICANT_DIGITS]) {
            return null;
        }
        long intPart = q / pow;
        long frac = q % pow;
        if (frac == 0) {
            return Long.toString(intPart);
        }
        int fracDigits = decimals;
        while (frac % 10 == 0) {
            frac /= 10;
            fracDigits--;
        }
        String f = Long.toString(frac);
        StringBuilder sb = new StringBuilder(SIGNIFICANT_DIGITS + 2).append(intPart).append('.');
        for (int i = f.length(); i < fracDigits; i++) {
            sb.append('0');
        }
        return sb.append(f).toString();
    }

    /** {@code %.17g} through the exact decimal expansion (any finite value; the reference). */
    static String formatG17Exact(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a finite time: " + v);
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(ROUND_17);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= SIGNIFICANT_DIGITS) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String m = stripZeros(mantissa.setScale(SIGNIFICANT_DIGITS - 1, RoundingMode.UNNECESSARY).toPlainString());
            String e = Integer.toString(Math.abs(exponent));
            return m + (exponent < 0 ? "e-" : "e+") + (e.length() < 2 ? "0" + e : e);
        }
        int decimals = Math.max(0, SIGNIFICANT_DIGITS - 1 - exponent);
        return stripZeros(rounded.setScale(decimals, RoundingMode.UNNECESSARY).toPlainString());
    }

    /** %g drops trailing zeros of the fraction, and the point if nothing follows it. */
    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
