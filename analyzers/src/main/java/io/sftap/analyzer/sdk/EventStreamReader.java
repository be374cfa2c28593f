package io.sftap.analyzer.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Incremental parser of one interface connection's byte stream into {@link AnalyzerEvent}s.
 *
 * <p>Feed it bytes in chunks of any size; each {@link #feed} returns the events completed by
 * that chunk. The format (text or binary) and whether DATA bytes follow the header ({@code body})
 * are properties of the interface's rule and cannot be detected from the stream, so they are
 * given here. Keys of a text header may come in any order; unknown keys are ignored so that
 * newer producers keep working. After an {@link EventFormatException} the reader is unusable:
 * the stream has lost its framing.
 */
public final class EventStreamReader {
    /** Size of the binary header. */
    public static final int BINARY_HEADER_LENGTH = 64;
    /** Longest text header line accepted; SF-TAP's lines are under 200 bytes. */
    public static final int MAX_TEXT_HEADER_LENGTH = 4096;

    private final Format format;
    private final boolean body;

    // Invariant: buf[start, end) holds unconsumed bytes; pendingHeader != null means its header
    // was parsed and its len body bytes are awaited in buf.
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private FlowEventHeader pendingHeader;
    private int scanned; // bytes of the current text line already searched for '\n'
    private boolean failed;

    /** A reader for an interface with {@code body: yes} (the default). */
    public EventStreamReader(Format format) {
        this(format, true);
    }

    public EventStreamReader(Format format, boolean body) {
        this.format = java.util.Objects.requireNonNull(format, "format");
        this.body = body;
    }

    public Format format() {
        return format;
    }

    /** Parses {@code len} bytes of {@code b} from {@code off} and returns the events they complete. */
    public List<AnalyzerEvent> feed(byte[] b, int off, int len) throws EventFormatException {
        if (failed) {
            throw new EventFormatException("reader already failed on malformed input");
        }
        append(b, off, len);
        List<AnalyzerEvent> out = new ArrayList<>();
        try {
            AnalyzerEvent e;
            while ((e = next()) != null) {
                out.add(e);
            }
        } catch (EventFormatException ex) {
            failed = true;
            throw ex;
        }
        compact();
        return out;
    }

    public List<AnalyzerEvent> feed(byte[] b) throws EventFormatException {
        return feed(b, 0, b.length);
    }

    public List<AnalyzerEvent> feed(ByteBuffer src) throws EventFormatException {
        byte[] b = new byte[src.remaining()];
        src.get(b);
        return feed(b, 0, b.length);
    }

    /** Whether bytes of an unfinished event are buffered (at end of stream: it was cut off). */
    public boolean hasPartialEvent() {
        return pendingHeader != null || end > start;
    }

    /** Reads {@code in} to its end, handing each event to {@code sink}; returns false if the stream ended mid-event. */
    public boolean readFully(InputStream in, Consumer<AnalyzerEvent> sink) throws IOException {
        byte[] chunk = new byte[65536];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            for (AnalyzerEvent e : feed(chunk, 0, n)) {
                sink.accept(e);
            }
        }
        return !hasPartialEvent();
    }

    private AnalyzerEvent next() throws EventFormatException {
        if (pendingHeader == null) {
            pendingHeader = format == Format.TEXT ? nextTextHeader() : nextBinaryHeader();
            if (pendingHeader == null) {
                return null;
            }
        }
        FlowEventHeader h = pendingHeader;
        int bodyLen = h.event() == EventType.DATA && body ? h.len() : 0;
        if (end - start < bodyLen) {
            return null;
        }
        byte[] data = Arrays.copyOfRange(buf, start, start + bodyLen);
        start += bodyLen;
        pendingHeader = null;
        return new AnalyzerEvent(h, data);
    }

    private FlowEventHeader nextTextHeader() throws EventFormatException {
        int nl = -1;
        for (int i = start + scanned; i < end; i++) {
            if (buf[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            scanned = end - start;
            if (scanned > MAX_TEXT_HEADER_LENGTH) {
                throw new EventFormatException("text header longer than " + MAX_TEXT_HEADER_LENGTH
                        + " bytes without a newline; is the interface in binary format? starts with: "
                        + preview(start, Math.min(end, start + 80)));
            }
            return null;
        }
        int lineEnd = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
        String line = new String(buf, start, lineEnd - start, StandardCharsets.ISO_8859_1);
        start = nl + 1;
        scanned = 0;
        return parseTextHeader(line);
    }

    /** Parses one text header line (without its newline). */
    public static FlowEventHeader parseTextHeader(String line) throws EventFormatException {
        Map<String, String> kv = new HashMap<>();
        for (String item : line.split(",")) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw bad(line, "item '" + item + "' is not key=value");
            }
            kv.put(item.substring(0, eq), item.substring(eq + 1));
        }
        L3 l3 = L3.fromText(required(kv, "l3", line));
        L4 l4 = L4.fromText(required(kv, "l4", line));
        if (l3 == null || l4 == null) {
            throw bad(line, "unknown l3 or l4");
        }
        InetAddress ip1 = address(required(kv, "ip1", line), line);
        InetAddress ip2 = address(required(kv, "ip2", line), line);
        int port1 = l4.hasPorts || kv.containsKey("port1") ? number(kv, "port1", line, 65535) : 0;
        int port2 = l4.hasPorts || kv.containsKey("port2") ? number(kv, "port2", line, 65535) : 0;
        int hop = number(kv, "hop", line, 255);
        Instant time = null;
        if (kv.containsKey("time")) {
            try {
                time = FlowEventHeader.parseSeconds(kv.get("time"));
            } catch (ArithmeticException | NumberFormatException e) {
                throw bad(line, "time '" + kv.get("time") + "' is not decimal seconds");
            }
        }
        FlowId flow = new FlowId(ip1, ip2, port1, port2, hop, l3, l4);
        String event = required(kv, "event", line);
        switch (event) {
            case "CREATED":
                return FlowEventHeader.created(flow, time);
            case "DESTROYED": {
                Reason reason = null;
                if (kv.containsKey("reason")) {
                    reason = Reason.fromText(kv.get("reason"));
                    if (reason == null) {
                        throw bad(line, "unknown reason '" + kv.get("reason") + "'");
                    }
                }
                return FlowEventHeader.destroyed(flow, reason, time);
            }
            case "DATA": {
                String f = kv.getOrDefault("from", "none");
                int from = f.equals("1") ? 1 : f.equals("2") ? 2 : 0;
                if (from == 0 && !f.equals("none")) {
                    throw bad(line, "from must be 1, 2 or none, not '" + f + "'");
                }
                Match match = Match.fromText(kv.getOrDefault("match", "none"));
                if (match == null) {
                    throw bad(line, "unknown match '" + kv.get("match") + "'");
                }
                int len = number(kv, "len", line, Integer.MAX_VALUE);
                return FlowEventHeader.data(flow, from, match, len, time);
            }
            default:
                throw bad(line, "unknown event '" + event + "'");
        }
    }

    private FlowEventHeader nextBinaryHeader() throws EventFormatException {
        if (end - start < BINARY_HEADER_LENGTH) {
            return null;
        }
        FlowEventHeader h = parseBinaryHeader(ByteBuffer.wrap(buf, start, BINARY_HEADER_LENGTH).slice());
        start += BINARY_HEADER_LENGTH;
        return h;
    }

    /** Parses a 64-byte binary header from {@code b}'s position (which it advances). */
    public static FlowEventHeader parseBinaryHeader(ByteBuffer b) throws EventFormatException {
        int base = b.position();
        byte[] a1 = new byte[16];
        byte[] a2 = new byte[16];
        b.get(base, a1).get(base + 16, a2);
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long sec = le.getLong(base + 32);
        long usec = le.getLong(base + 40);
        int port1 = Short.toUnsignedInt(b.duplicate().order(ByteOrder.BIG_ENDIAN).getShort(base + 48));
        int port2 = Short.toUnsignedInt(b.duplicate().order(ByteOrder.BIG_ENDIAN).getShort(base + 50));
        int eventCode = Byte.toUnsignedInt(b.get(base + 52));
        int fromCode = Byte.toUnsignedInt(b.get(base + 53));
        int len = Short.toUnsignedInt(le.getShort(base + 54));
        int hop = Byte.toUnsignedInt(b.get(base + 56));
        L3 l3 = L3.fromBinary(Byte.toUnsignedInt(b.get(base + 57)));
        L4 l4 = L4.fromBinary(Byte.toUnsignedInt(b.get(base + 58)));
        Match match = Match.fromBinary(Byte.toUnsignedInt(b.get(base + 59)));
        int reasonCode = Byte.toUnsignedInt(b.get(base + 60));
        EventType event = EventType.fromBinary(eventCode);
        b.position(base + BINARY_HEADER_LENGTH);
        if (l3 == null || l4 == null || event == null || match == null) {
            throw new EventFormatException(String.format(
                    "malformed binary header (event=%d l3=%d l4=%d match=%d); is the interface in text format?",
                    eventCode, Byte.toUnsignedInt(b.get(base + 57)), Byte.toUnsignedInt(b.get(base + 58)),
                    Byte.toUnsignedInt(b.get(base + 59))));
        }
        FlowId flow;
        try {
            flow = new FlowId(InetAddress.getByAddress(Arrays.copyOf(a1, l3.addressLength)),
                    InetAddress.getByAddress(Arrays.copyOf(a2, l3.addressLength)),
                    l4.hasPorts ? port1 : 0, l4.hasPorts ? port2 : 0, hop, l3, l4);
        } catch (UnknownHostException e) {
            throw new EventFormatException("bad address length: " + e.getMessage());
        }
        // SF-TAP's original binary format left time zero; treat 0.0 as "no time".
        Instant time = sec == 0 && usec == 0 ? null : Instant.ofEpochSecond(sec, usec * 1000);
        switch (event) {
            case CREATED:
                return FlowEventHeader.created(flow, time);
            case DESTROYED: {
                Reason reason = Reason.fromBinary(reasonCode);
                if (reason == null) {
                    throw new EventFormatException("malformed binary header: reason=" + reasonCode);
                }
                return FlowEventHeader.destroyed(flow, reason, time);
            }
            default:
                int from = fromCode == 0 ? 1 : fromCode == 1 ? 2 : 0;
                return FlowEventHeader.data(flow, from, match, len, time);
        }
    }

    private static String required(Map<String, String> kv, String key, String line) throws EventFormatException {
        String v = kv.get(key);
        if (v == null) {
            throw bad(line, "missing key '" + key + "'");
        }
        return v;
    }

    private static int number(Map<String, String> kv, String key, String line, int max) throws EventFormatException {
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

    private static InetAddress address(String s, String line) throws EventFormatException {
        // Only literals: a name here must never trigger a DNS lookup.
        boolean literal = s.indexOf(':') >= 0 ? s.matches("[0-9A-Fa-f:.]+") : s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!literal) {
            throw bad(line, "'" + s + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw bad(line, "'" + s + "' is not an IP address");
        }
    }

    private static EventFormatException bad(String line, String why) {
        String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
        return new EventFormatException("malformed text header (" + why + "): " + shown);
    }

    private String preview(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            int c = buf[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return sb.toString();
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
