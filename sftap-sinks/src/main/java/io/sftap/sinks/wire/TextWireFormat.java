package io.sftap.sinks.wire;

import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * SF-TAP's text format ({@code format: text}): one header line of {@code key=value} pairs, then
 * {@code len} raw bytes for DATA on a {@code body: yes} interface.
 *
 * <pre>
 * ip1=A,ip2=B,port1=P1,port2=P2,hop=H,l3=ipv4,l4=tcp,event=CREATED,time=T\n
 * ip1=A,ip2=B,port1=P1,port2=P2,hop=H,l3=ipv4,l4=tcp,event=DATA,from=2,match=down,len=N,time=T\n&lt;N bytes&gt;
 * ip1=A,ip2=B,port1=P1,port2=P2,hop=H,l3=ipv4,l4=tcp,event=DESTROYED,reason=NORMAL,time=T\n
 * </pre>
 *
 * Keys come in exactly this order. Addresses are glibc {@code inet_ntop} text ({@link
 * AddressText}); ICMP and ICMPv6 lines have no port keys; {@code time} is {@link WireTime}'s text;
 * {@code body: no} keeps {@code len=N} and sends no bytes.
 */
public final class TextWireFormat implements WireFormat {
    public static final TextWireFormat INSTANCE = new TextWireFormat();

    /** Longest header line a reader accepts (two IPv6 addresses need about 200 bytes). */
    static final int MAX_LINE = 1024;

    private TextWireFormat() {}

    /** Each encoding thread's header line; the format itself is a shared singleton. */
    private static final ThreadLocal<AsciiHeader> HEADER = ThreadLocal.withInitial(AsciiHeader::new);

    @Override
    public byte[] encode(FlowEvent event) {
        AsciiHeader h = HEADER.get();
        h.clear();
        appendFlow(h, event.key);
        int flowEnd = h.length();
        String time = WireTime.format(event.timestampNanos);
        boolean withBody = event.body && event.type == EventType.DATA;
        int chunks = WireFormat.chunkCount(event);
        // Sizes first, then one array of the exact size: no buffer growth, no second copy. The
        // chunks' headers differ only in len, so each is rebuilt from the flow part.
        int total = 0;
        for (int c = 0; c < chunks; c++) {
            int len = WireFormat.chunkLength(event, c);
            appendEventAndTime(h, event, len, time);
            total += h.length() + (withBody ? len : 0);
            h.truncate(flowEnd);
        }
        byte[] out = new byte[total];
        int at = 0;
        for (int c = 0; c < chunks; c++) {
            int len = WireFormat.chunkLength(event, c);
            appendEventAndTime(h, event, len, time);
            at = h.copyTo(out, at);
            h.truncate(flowEnd);
            if (withBody) {
                System.arraycopy(event.data, c * MAX_DATA_LENGTH, out, at, len);
                at += len;
            }
        }
        return out;
    }

    private static void appendFlow(AsciiHeader h, FlowKey key) {
        h.append("ip1=");
        appendAddress(h, key.addr1);
        h.append(",ip2=");
        appendAddress(h, key.addr2);
        if (!key.isIcmp()) {
            h.append(",port1=").append(key.port1);
            h.append(",port2=").append(key.port2);
        }
        h.append(",hop=").append(key.hop & 0xff);
        h.append(",l3=ipv").append(key.ipVersion);
        h.append(",l4=").append(IpProtocols.name(key.protocol));
    }

    private static void appendAddress(AsciiHeader h, byte[] addr) {
        if (addr.length == 4) {
            h.appendIpv4(addr);
        } else {
            h.append(AddressText.format(addr));
        }
    }

    private static void appendEventAndTime(AsciiHeader h, FlowEvent e, int len, String time) {
        switch (e.type) {
            case CREATED:
                h.append(",event=CREATED");
                break;
            case DESTROYED:
                h.append(",event=DESTROYED,reason=").append(e.reason.name());
                break;
            case DATA:
                h.append(",event=DATA,from=").append(e.from.text).append(",match=").append(e.match.text)
                        .append(",len=").append(len);
                break;
            default:
                throw new IllegalArgumentException("unknown event type " + e.type);
        }
        h.append(",time=").append(time).append('\n');
    }

    @Override
    public WireEvent read(InputStream in, boolean body) throws IOException {
        String line = readLine(in);
        if (line == null) {
            return null;
        }
        Map<String, String> h = parsePairs(line);
        FlowEvent e = new FlowEvent();
        e.binary = false;
        e.body = body;
        e.key = parseKey(h, line);
        e.type = parseEnum(EventType.class, require(h, "event", line), "event", line);
        e.timestampNanos = h.containsKey("time") ? parseTime(h.get("time"), line) : 0L;
        int len = 0;
        switch (e.type) {
            case DATA:
                e.from = parseFrom(require(h, "from", line), line);
                e.match = parseMatch(require(h, "match", line), line);
                len = parseInt(require(h, "len", line), "len", 0, Integer.MAX_VALUE, line);
                if (body) {
                    e.data = BinaryWireFormat.readFully(in, len, "DATA body of " + line);
                }
                break;
            case DESTROYED:
                e.reason = h.containsKey("reason")
                        ? parseEnum(Reason.class, h.get("reason"), "reason", line)
                        : Reason.NORMAL;
                break;
            default:
                break;
        }
        return new WireEvent(e, len);
    }

    /** Reads bytes up to '\n'; null at end of stream before the first byte. */
    private static String readLine(InputStream in) throws IOException {
        byte[] line = LINE.get();
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) {
                    return null;
                }
                throw new WireFormatException("stream ends inside a header line: "
                        + new String(line, 0, n, StandardCharsets.ISO_8859_1));
            }
            if (b == '\n') {
                return new String(line, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n >= MAX_LINE) {
                throw new WireFormatException("header line longer than " + MAX_LINE + " bytes: "
                        + new String(line, 0, 80, StandardCharsets.ISO_8859_1) + "...");
            }
            line[n++] = (byte) b;
        }
    }

    /** A reader's header line buffer (one per thread: the format itself is a shared singleton). */
    private static final ThreadLocal<byte[]> LINE = ThreadLocal.withInitial(() -> new byte[MAX_LINE]);

    private static Map<String, String> parsePairs(String line) throws WireFormatException {
        Map<String, String> h = new HashMap<>();
        for (String pair : line.split(",")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new WireFormatException("'" + pair + "' is not key=value in header: " + line);
            }
            h.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return h;
    }

    private static FlowKey parseKey(Map<String, String> h, String line) throws WireFormatException {
        String l3 = require(h, "l3", line);
        int version;
        if (l3.equals("ipv4")) {
            version = 4;
        } else if (l3.equals("ipv6")) {
            version = 6;
        } else {
            throw new WireFormatException("l3=" + l3 + " is not ipv4 or ipv6 in header: " + line);
        }
        int protocol = parseProtocol(require(h, "l4", line), line);
        byte[] a1 = parseAddress(require(h, "ip1", line), version, line);
        byte[] a2 = parseAddress(require(h, "ip2", line), version, line);
        int hop = parseInt(require(h, "hop", line), "hop", 0, 255, line);
        boolean icmp = protocol == IpProtocols.ICMP || protocol == IpProtocols.ICMPV6;
        int p1 = icmp && !h.containsKey("port1") ? 0 : parseInt(require(h, "port1", line), "port1", 0, 65535, line);
        int p2 = icmp && !h.containsKey("port2") ? 0 : parseInt(require(h, "port2", line), "port2", 0, 65535, line);
        return new FlowKey(hop, version, protocol, a1, p1, a2, p2);
    }

    private static int parseProtocol(String l4, String line) throws WireFormatException {
        switch (l4) {
            case "tcp":
                return IpProtocols.TCP;
            case "udp":
                return IpProtocols.UDP;
            case "icmp":
                return IpProtocols.ICMP;
            case "icmpv6":
                return IpProtocols.ICMPV6;
            default:
                return parseInt(l4, "l4", 0, 255, line);
        }
    }

    private static byte[] parseAddress(String text, int version, String line) throws WireFormatException {
        try {
            return AddressText.parse(text, version == 6);
        } catch (IllegalArgumentException ex) {
            throw new WireFormatException(ex.getMessage() + " in header: " + line, ex);
        }
    }

    private static long parseTime(String text, String line) throws WireFormatException {
        try {
            return WireTime.parse(text);
        } catch (NumberFormatException | ArithmeticException ex) {
            throw new WireFormatException("time=" + text + " is not a number in header: " + line, ex);
        }
    }

    private static Direction parseFrom(String text, String line) throws WireFormatException {
        for (Direction d : Direction.values()) {
            if (d.text.equals(text)) {
                return d;
            }
        }
        throw new WireFormatException("from=" + text + " is not 1, 2 or none in header: " + line);
    }

    private static Match parseMatch(String text, String line) throws WireFormatException {
        for (Match m : Match.values()) {
            if (m.text.equals(text)) {
                return m;
            }
        }
        throw new WireFormatException("match=" + text + " is not up, down or none in header: " + line);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String text, String key, String line)
            throws WireFormatException {
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException ex) {
            throw new WireFormatException(key + "=" + text + " is unknown in header: " + line, ex);
        }
    }

    private static int parseInt(String text, String key, int min, int max, String line) throws WireFormatException {
        try {
            int v = Integer.parseInt(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ex) {
            // reported below
        }
        throw new WireFormatException(key + "=" + text + " is not a number in [" + min + ", " + max
                + "] in header: " + line);
    }

    private static String require(Map<String, String> h, String key, String line) throws WireFormatException {
        String v = h.get(key);
        if (v == null) {
            throw new WireFormatException("header has no " + key + ": " + line);
        }
        return v;
    }
}
