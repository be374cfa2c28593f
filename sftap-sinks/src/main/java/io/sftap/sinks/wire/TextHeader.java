package io.sftap.sinks.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One text header line split into its {@code key=value} pairs in place (no strings, no map): the
 * reader's side of {@link TextWireFormat}. Keys may come in any order; for a repeated key the last
 * one counts; unknown keys are ignored. One per reading thread; not thread-safe.
 *
 * <p>The common values (plain decimals, dotted quads, times like {@code 1700000000.123456}) are read
 * from the bytes; anything else falls back to the string parsers, so both paths accept exactly the
 * same text.
 */
final class TextHeader {
    static final int IP1 = 0;
    static final int IP2 = 1;
    static final int PORT1 = 2;
    static final int PORT2 = 3;
    static final int HOP = 4;
    static final int L3 = 5;
    static final int L4 = 6;
    static final int EVENT = 7;
    static final int FROM = 8;
    static final int MATCH = 9;
    static final int LEN = 10;
    static final int TIME = 11;
    static final int REASON = 12;
    private static final String[] NAMES = {
        "ip1", "ip2", "port1", "port2", "hop", "l3", "l4", "event", "from", "match", "len", "time", "reason"
    };
    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAME_BYTES[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    final byte[] line;
    private int length;
    private final int[] start = new int[NAMES.length];
    private final int[] end = new int[NAMES.length];

    TextHeader(int maxLine) {
        this.line = new byte[maxLine];
    }

    /** Splits {@code line[0, length)} into pairs. */
    void parse(int length) throws WireFormatException {
        this.length = length;
        Arrays.fill(start, -1);
        int at = 0;
        while (at <= length) {
            int comma = indexOf((byte) ',', at, length);
            if (comma > at) {
                int eq = indexOf((byte) '=', at, comma);
                if (eq <= at || eq == comma) {
                    throw new WireFormatException("'" + text(at, comma) + "' is not key=value in header: " + text());
                }
                int key = keyOf(at, eq);
                if (key >= 0) {
                    start[key] = eq + 1;
                    end[key] = comma;
                }
            }
            at = comma + 1;
        }
    }

    boolean has(int key) {
        return start[key] >= 0;
    }

    /** The value of a key the header must have. */
    String require(int key) throws WireFormatException {
        requirePresent(key);
        return text(start[key], end[key]);
    }

    /** Whether a present key's value is exactly {@code ascii}. */
    boolean valueIs(int key, String ascii) {
        int s = start[key];
        int n = end[key] - s;
        if (n != ascii.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (line[s + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A required decimal in [min, max]. */
    int requireInt(int key, int min, int max) throws WireFormatException {
        requirePresent(key);
        int s = start[key];
        int e = end[key];
        long v = -1;
        if (e > s && e - s <= 10) {
            v = 0;
            for (int i = s; i < e; i++) {
                int d = line[i] - '0';
                if (d < 0 || d > 9) {
                    v = -1;
                    break;
                }
                v = v * 10 + d;
            }
        }
        if (v < 0) {
            v = parseIntOrOutOfRange(text(s, e), min); // signs and the like: Integer.parseInt decides
        }
        if (v >= min && v <= max) {
            return (int) v;
        }
        throw new WireFormatException(NAMES[key] + "=" + text(s, e) + " is not a number in [" + min + ", "
                + max + "] in header: " + text());
    }

    /** A required address of {@code version}: dotted quads from the bytes, the rest by {@link AddressText}. */
    byte[] requireAddress(int key, boolean ipv6) throws WireFormatException {
        requirePresent(key);
        if (!ipv6) {
            byte[] quad = dottedQuad(start[key], end[key]);
            if (quad != null) {
                return quad;
            }
        }
        String text = text(start[key], end[key]);
        try {
            return AddressText.parse(text, ipv6);
        } catch (IllegalArgumentException ex) {
            throw new WireFormatException(ex.getMessage() + " in header: " + text(), ex);
        }
    }

    /** The {@code time=} value in nanoseconds. */
    long time() throws WireFormatException {
        long fast = WireTime.parseSimple(line, start[TIME], end[TIME]);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        String text = text(start[TIME], end[TIME]);
        try {
            return WireTime.parse(text);
        } catch (NumberFormatException | ArithmeticException ex) {
            throw new WireFormatException("time=" + text + " is not a number in header: " + text(), ex);
        }
    }

    /** {@code key=value} as the line has it, for messages. */
    String pair(int key) throws WireFormatException {
        return NAMES[key] + "=" + require(key);
    }

    /** The whole line, for messages. */
    String text() {
        return text(0, length);
    }

    /** Fails with "header has no KEY" unless the header has the key. */
    void requirePresent(int key) throws WireFormatException {
        if (start[key] < 0) {
            throw new WireFormatException("header has no " + NAMES[key] + ": " + text());
        }
    }

    private static long parseIntOrOutOfRange(String text, int min) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException ex) {
            return (long) min - 1;
        }
    }

    /** Four decimals 0..255 without leading zeros, or null when the text is anything else. */
    private byte[] dottedQuad(int s, int e) {
        byte[] out = new byte[4];
        int part = 0;
        int at = s;
        while (part < 4) {
            int digitsStart = at;
            int v = 0;
            while (at < e && at - digitsStart < 3 && line[at] >= '0' && line[at] <= '9') {
                v = v * 10 + (line[at] - '0');
                at++;
            }
            int digits = at - digitsStart;
            if (digits == 0 || v > 255 || (digits > 1 && line[digitsStart] == '0')) {
                return null;
            }
            out[part++] = (byte) v;
            if (part < 4) {
                if (at >= e || line[at] != '.') {
                    return null;
                }
                at++;
            }
        }
        return at == e ? out : null;
    }

    private int keyOf(int s, int e) {
        int n = e - s;
        for (int k = 0; k < NAME_BYTES.length; k++) {
            byte[] name = NAME_BYTES[k];
            if (name.length == n && Arrays.equals(line, s, e, name, 0, n)) {
                return k;
            }
        }
        return -1;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return to;
    }

    private String text(int s, int e) {
        return new String(line, s, e - s, StandardCharsets.ISO_8859_1);
    }
}
