package io.sftap.job.loopback;

import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.IpProtocols;
import io.sftap.source.wire.Packet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Incremental parser of one loopback connection: the bytes an analyzer writes to {@code
 * loopback7} become stream-event {@link Packet}s (pure; no Flink, no I/O).
 *
 * <p>Each event is a text header line ({@code ip1=..,ip2=..,port1=..,port2=..,hop=..,l3=..,l4=..,
 * event=..[,from=..,len=..][,time=..]}) or a 64-byte binary header, then {@code len} bytes for
 * DATA. The packet gets {@code hop + 1}; a DATA packet's source is its sender ({@code from}), so
 * {@code FlowKey.directionOf} gives the right direction; CREATED/DESTROYED go from endpoint 1.
 * Events without a time get the arrival time. After a {@link LoopbackFormatException} the decoder
 * is unusable: the stream lost its framing.
 */
public final class LoopbackDecoder {
    /** Size of the binary header. */
    public static final int BINARY_HEADER_LENGTH = 64;
    /** Longest text header line accepted. */
    public static final int MAX_TEXT_HEADER_LENGTH = 4096;
    /** Largest DATA event accepted (text format; binary carries at most 65535). */
    public static final int MAX_DATA_LENGTH = 16 << 20;
    /** Largest hop a header may carry: the packet gets hop + 1, which must fit the flow key's byte. */
    public static final int MAX_HEADER_HOP = 254;

    private final boolean binary;
    private final LongSupplier arrivalNanos;
    private final FromConvention fromConvention = new FromConvention();

    // Invariant: buf[start, end) holds unconsumed bytes; pending != null means its header was
    // parsed and pendingLen payload bytes are awaited.
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private Packet pending;
    private int pendingLen;
    private boolean failed;

    public LoopbackDecoder(boolean binary, LongSupplier arrivalNanos) {
        this.binary = binary;
        this.arrivalNanos = arrivalNanos;
    }

    /** Parses {@code len} bytes of {@code b} from {@code off}; returns the events they complete. */
    public List<Packet> feed(byte[] b, int off, int len) throws LoopbackFormatException {
        if (failed) {
            throw new LoopbackFormatException("decoder already failed on malformed input");
        }
        append(b, off, len);
        List<Packet> out = new ArrayList<>();
        try {
            Packet p;
            while ((p = next()) != null) {
                out.add(p);
            }
        } catch (LoopbackFormatException e) {
            failed = true;
            throw e;
        }
        compact();
        return out;
    }

    /** Whether bytes of an unfinished event are buffered (at end of stream: it was cut off). */
    public boolean hasPartialEvent() {
        return pending != null || end > start;
    }

    private Packet next() throws LoopbackFormatException {
        if (pending == null) {
            if (!(binary ? nextBinaryHeader() : nextTextHeader())) {
                return null;
            }
        }
        if (end - start < pendingLen) {
            return null;
        }
        Packet p = pending;
        if (p.streamEvent == Packet.STREAM_DATA) {
            p.payload = Arrays.copyOfRange(buf, start, start + pendingLen);
        }
        start += pendingLen;
        pending = null;
        pendingLen = 0;
        return p;
    }

    private boolean nextTextHeader() throws LoopbackFormatException {
        int nl = -1;
        for (int i = start; i < end; i++) {
            if (buf[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            if (end - start > MAX_TEXT_HEADER_LENGTH) {
                throw new LoopbackFormatException("text header longer than " + MAX_TEXT_HEADER_LENGTH
                        + " bytes without a newline (is the analyzer writing the binary format?)");
            }
            return false;
        }
        int lineEnd = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
        String line = new String(buf, start, lineEnd - start, StandardCharsets.ISO_8859_1);
        start = nl + 1;
        if (line.isEmpty()) {
            return nextTextHeader(); // tolerate blank lines between events
        }
        parseText(line);
        return true;
    }

    private void parseText(String line) throws LoopbackFormatException {
        Map<String, String> kv = new HashMap<>();
        for (String item : line.split(",")) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw bad(line, "'" + item + "' is not key=value");
            }
            kv.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        Packet p = new Packet();
        String l3 = required(kv, "l3", line);
        if (l3.equals("ipv4")) {
            p.ipVersion = 4;
        } else if (l3.equals("ipv6")) {
            p.ipVersion = 6;
        } else {
            throw bad(line, "l3 must be ipv4 or ipv6, not '" + l3 + "'");
        }
        String l4 = required(kv, "l4", line);
        if (l4.equals("tcp")) {
            p.protocol = IpProtocols.TCP;
        } else if (l4.equals("udp")) {
            p.protocol = IpProtocols.UDP;
        } else {
            throw bad(line, "l4 must be tcp or udp, not '" + l4 + "'");
        }
        byte[] ip1 = address(required(kv, "ip1", line), p.ipVersion, line);
        byte[] ip2 = address(required(kv, "ip2", line), p.ipVersion, line);
        int port1 = number(kv, "port1", 65535, line);
        int port2 = number(kv, "port2", 65535, line);
        p.hop = hop(number(kv, "hop", 255, line), line);
        String time = kv.get("time");
        p.timestampNanos = time == null ? arrivalNanos.getAsLong() : seconds(time, line);
        String event = required(kv, "event", line);
        Direction from = Direction.FROM_ENDPOINT1;
        switch (event) {
            case "CREATED":
                p.streamEvent = Packet.STREAM_CREATED;
                break;
            case "DESTROYED":
                p.streamEvent = Packet.STREAM_DESTROYED;
                break;
            case "DATA":
                p.streamEvent = Packet.STREAM_DATA;
                String f = required(kv, "from", line);
                from = fromConvention.read(f);
                if (from == null) {
                    throw bad(line, "from must be 1 or 2 (or 0 or 1 as SF-TAP read it, one convention per"
                            + " connection; this one is " + fromConvention.describe() + "), not '" + f + "'");
                }
                pendingLen = number(kv, "len", MAX_DATA_LENGTH, line);
                break;
            default:
                throw bad(line, "event must be CREATED, DATA or DESTROYED, not '" + event + "'");
        }
        orient(p, from, ip1, port1, ip2, port2);
        pending = p;
    }

    private boolean nextBinaryHeader() throws LoopbackFormatException {
        if (end - start < BINARY_HEADER_LENGTH) {
            return false;
        }
        ByteBuffer h = ByteBuffer.wrap(buf, start, BINARY_HEADER_LENGTH).slice().order(ByteOrder.LITTLE_ENDIAN);
        start += BINARY_HEADER_LENGTH;
        Packet p = new Packet();
        int l3 = h.get(57) & 0xff;
        int l4 = h.get(58) & 0xff;
        int event = h.get(52) & 0xff;
        int fromCode = h.get(53) & 0xff;
        if (l3 != 0 && l3 != 4 && l3 != 41 && l3 != 6) {
            throw new LoopbackFormatException("malformed binary header: l3=" + l3
                    + " (0 IPv4, 41 IPv6); is the analyzer writing the text format?");
        }
        p.ipVersion = (byte) (l3 == 41 || l3 == 6 ? 6 : 4);
        if (l4 != IpProtocols.TCP && l4 != IpProtocols.UDP) {
            throw new LoopbackFormatException("malformed binary header: l4=" + l4 + " (6 TCP, 17 UDP)");
        }
        p.protocol = (byte) l4;
        int alen = p.ipVersion == 4 ? 4 : 16;
        byte[] ip1 = new byte[alen];
        byte[] ip2 = new byte[alen];
        h.get(0, ip1).get(16, ip2);
        int port1 = Short.toUnsignedInt(h.order(ByteOrder.BIG_ENDIAN).getShort(48));
        int port2 = Short.toUnsignedInt(h.getShort(50));
        h.order(ByteOrder.LITTLE_ENDIAN);
        p.hop = hop(h.get(56) & 0xff, "binary header");
        long sec = h.getLong(32);
        long usec = h.getLong(40);
        if (sec < 0 || usec < 0 || usec >= 1_000_000 || sec > Long.MAX_VALUE / 1_000_000_000L - 1) {
            throw new LoopbackFormatException("malformed binary header: time " + sec + "s " + usec + "us");
        }
        p.timestampNanos = sec == 0 && usec == 0 ? arrivalNanos.getAsLong() : sec * 1_000_000_000L + usec * 1000;
        Direction from = Direction.FROM_ENDPOINT1;
        switch (event) {
            case 0:
                p.streamEvent = Packet.STREAM_CREATED;
                break;
            case 1:
                p.streamEvent = Packet.STREAM_DESTROYED;
                break;
            case 2:
                p.streamEvent = Packet.STREAM_DATA;
                if (fromCode != 0 && fromCode != 1) {
                    throw new LoopbackFormatException("malformed binary header: DATA needs from 0 (endpoint 1)"
                            + " or 1 (endpoint 2), not " + fromCode);
                }
                from = fromCode == 0 ? Direction.FROM_ENDPOINT1 : Direction.FROM_ENDPOINT2;
                pendingLen = Short.toUnsignedInt(h.getShort(54));
                break;
            default:
                throw new LoopbackFormatException("malformed binary header: event=" + event
                        + " (0 CREATED, 1 DESTROYED, 2 DATA); is the analyzer writing the text format?");
        }
        orient(p, from, ip1, port1, ip2, port2);
        pending = p;
        return true;
    }

    private static void orient(Packet p, Direction from, byte[] ip1, int port1, byte[] ip2, int port2) {
        boolean first = from == Direction.FROM_ENDPOINT1;
        p.srcAddr = first ? ip1 : ip2;
        p.srcPort = first ? port1 : port2;
        p.dstAddr = first ? ip2 : ip1;
        p.dstPort = first ? port2 : port1;
    }

    private static int hop(int headerHop, String where) throws LoopbackFormatException {
        if (headerHop > MAX_HEADER_HOP) {
            throw new LoopbackFormatException("hop=" + headerHop + " out of range 0.." + MAX_HEADER_HOP + ": " + where);
        }
        return headerHop + 1;
    }

    private static byte[] address(String s, int version, String line) throws LoopbackFormatException {
        boolean literal = version == 4
                ? s.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                : s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.]+");
        if (!literal) {
            throw bad(line, "'" + s + "' is not an IPv" + version + " address");
        }
        try {
            byte[] a = Addresses.parse(s);
            if (a.length != (version == 4 ? 4 : 16)) {
                throw bad(line, "'" + s + "' is not an IPv" + version + " address");
            }
            return a;
        } catch (IllegalArgumentException e) {
            throw bad(line, "'" + s + "' is not an IPv" + version + " address");
        }
    }

    private static long seconds(String s, String line) throws LoopbackFormatException {
        try {
            java.math.BigDecimal d = new java.math.BigDecimal(s);
            if (d.signum() < 0) {
                throw bad(line, "time must not be negative");
            }
            return d.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(line, "time '" + s + "' is not decimal seconds");
        }
    }

    private static String required(Map<String, String> kv, String key, String line) throws LoopbackFormatException {
        String v = kv.get(key);
        if (v == null) {
            throw bad(line, "missing key '" + key + "'");
        }
        return v;
    }

    private static int number(Map<String, String> kv, String key, int max, String line) throws LoopbackFormatException {
        String v = required(kv, key, line);
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > max) {
                throw bad(line, key + "=" + v + " out of range 0.." + max);
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw bad(line, key + "=" + v + " is not a number");
        }
    }

    private static LoopbackFormatException bad(String line, String why) {
        String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
        return new LoopbackFormatException("malformed loopback header (" + why + "): " + shown);
    }

    private void append(byte[] b, int off, int len) {
        if (end + len > buf.length) {
            compact();
            if (end + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + len));
            }
        }
        System.arraycopy(b, off, buf, end, len);
        end += len;
    }

    private void compact() {
        if (start == 0) {
            return;
        }
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
    }
}
