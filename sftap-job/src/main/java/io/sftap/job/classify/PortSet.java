package io.sftap.job.classify;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code port} of a rule: ports and inclusive ranges ({@code 53,5353,5355} or {@code
 * 6881-6889}). An empty set means any port, as in SF-TAP.
 */
public final class PortSet implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Any port (no {@code port} key). */
    public static final PortSet ANY = new PortSet(new int[0]);

    /** Pairs {@code [low0, high0, low1, high1, ...]}, each range inclusive. */
    private final int[] ranges;

    private PortSet(int[] ranges) {
        this.ranges = ranges;
    }

    /**
     * Parses a comma-separated list of ports and ranges.
     *
     * @throws IllegalArgumentException with a message fit for users when malformed
     */
    public static PortSet parse(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty entry in port list '" + text + "'");
            }
            int dash = p.indexOf('-');
            int low = port(dash < 0 ? p : p.substring(0, dash), text);
            int high = dash < 0 ? low : port(p.substring(dash + 1), text);
            if (high < low) {
                throw new IllegalArgumentException("port range '" + p + "' ends before it starts");
            }
            out.add(low);
            out.add(high);
        }
        return new PortSet(out.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int port(String s, String whole) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= 0 && v <= 65535) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("'" + s.trim() + "' in '" + whole + "' is not a port (0..65535)");
    }

    /** Combines several sets (for a YAML list of port entries). */
    static PortSet union(List<PortSet> sets) {
        int n = sets.stream().mapToInt(s -> s.ranges.length).sum();
        int[] all = new int[n];
        int i = 0;
        for (PortSet s : sets) {
            System.arraycopy(s.ranges, 0, all, i, s.ranges.length);
            i += s.ranges.length;
        }
        return new PortSet(all);
    }

    public boolean isAny() {
        return ranges.length == 0;
    }

    public boolean contains(int port) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (port >= ranges[i] && port <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** SF-TAP's test: the set is any port, or holds either port of the flow. */
    public boolean matchesEither(int port1, int port2) {
        return isAny() || contains(port1) || contains(port2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet && Arrays.equals(ranges, ((PortSet) o).ranges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranges);
    }

    @Override
    public String toString() {
        if (isAny()) {
            return "any";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranges.length; i += 2) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(ranges[i]);
            if (ranges[i + 1] != ranges[i]) {
                sb.append('-').append(ranges[i + 1]);
            }
        }
        return sb.toString();
    }
}
