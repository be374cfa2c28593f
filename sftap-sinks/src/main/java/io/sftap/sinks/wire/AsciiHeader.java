package io.sftap.sinks.wire;

import java.util.Arrays;

/**
 * A reusable ASCII line builder for wire headers: appends text, decimals and dotted quads straight
 * as bytes, so encoding an event builds no strings (one per encoder thread; not thread-safe).
 */
final class AsciiHeader {
    private byte[] buf = new byte[256];
    private int length;

    void clear() {
        length = 0;
    }

    int length() {
        return length;
    }

    /** Cuts the line back to {@code mark}, an earlier {@link #length()}. */
    void truncate(int mark) {
        length = mark;
    }

    /** ASCII text (each char's low byte). */
    @SuppressWarnings("deprecation") // the byte-dropping copy is what ASCII needs, and an intrinsic
    AsciiHeader append(String ascii) {
        int n = ascii.length();
        ensure(n);
        ascii.getBytes(0, n, buf, length);
        length += n;
        return this;
    }

    /** Bytes already encoded (the format's fixed key texts). */
    AsciiHeader append(byte[] ascii) {
        ensure(ascii.length);
        System.arraycopy(ascii, 0, buf, length, ascii.length);
        length += ascii.length;
        return this;
    }

    AsciiHeader append(char c) {
        ensure(1);
        buf[length++] = (byte) c;
        return this;
    }

    /** A non-negative decimal. */
    AsciiHeader append(int value) {
        if (value < 0) {
            return append(Integer.toString(value));
        }
        int digits = decimalLength(value);
        ensure(digits);
        int at = length + digits;
        do {
            buf[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        length += digits;
        return this;
    }

    /** A dotted quad: the same text as {@code inet_ntop} for 4 address bytes. */
    AsciiHeader appendIpv4(byte[] addr) {
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                append('.');
            }
            append(addr[i] & 0xff);
        }
        return this;
    }

    /** Copies the line into {@code out} at {@code at}; returns the position after it. */
    int copyTo(byte[] out, int at) {
        System.arraycopy(buf, 0, out, at, length);
        return at + length;
    }

    static int decimalLength(int nonNegative) {
        int digits = 1;
        for (long limit = 10; nonNegative >= limit && digits < 10; limit *= 10) {
            digits++;
        }
        return digits;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }
}
