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
import java.util.function.Function;

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

    @Override
    public EncodedEvent encodeParts(FlowEvent event) {
        if (WireFormat.chunkCount(event) != 1) {
            return EncodedEvent.of(encode(event));
        }
        AsciiHeader h = HEADER.get();
        h.clear();
        appendFlow(h, event.key);
        int len = WireFormat.chunkLength(event, 0);
        appendEventAndTime(h, event, len, WireTime.format(event.timestampNanos));
        byte[] head = new byte[h.length()];
        h.copyTo(head, 0);
        boolean withBody = event.body && event.type == EventType.DATA;
        return EncodedEvent.of(head, event.data, withBody ? len : 0);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] IP1 = ascii("ip1=");
    private static final byte[] IP2 = ascii(",ip2=");
    private static final byte[] PORT1 = ascii(",port1=");
    private static final byte[] PORT2 = ascii(",port2=");
    private static final byte[] HOP = ascii(",hop=");
    private static final byte[] L3_IPV = ascii(",l3=ipv");
    private static final byte[] L4 = ascii(",l4=");
    private static final byte[] EVENT_CREATED = ascii(",event=CREATED");
    private static final byte[] EVENT_DESTROYED_REASON = ascii(",event=DESTROYED,reason=");
    private static final byte[] EVENT_DATA_FROM = ascii(",event=DATA,from=");
    private static final byte[] MATCH = ascii(",match=");
    private static final byte[] LEN = ascii(",len=");
    private static final byte[] TIME = ascii(",time=");

    private static void appendFlow(AsciiHeader h, FlowKey key) {
        h.append(IP1);
        appendAddress(h, key.addr1);
        h.append(IP2);
        appendAddress(h, key.addr2);
        if (!key.isIcmp()) {
            h.append(PORT1).append(key.port1);
            h.append(PORT2).append(key.port2);
        }
        h.append(HOP).append(key.hop & 0xff);
        h.append(L3_IPV).append(key.ipVersion);
        h.append(L4).append(IpProtocols.name(key.protocol));
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
                h.append(EVENT_CREATED);
                break;
            case DESTROYED:
                h.append(EVENT_DESTROYED_REASON).append(e.reason.name());
                break;
            case DATA:
                h.append(EVENT_DATA_FROM).append(e.from.text).append(MATCH).append(e.match.text).append(LEN).append(len);
                break;
            default:
                throw new IllegalArgumentException("unknown event type " + e.type);
        }
        h.append(TIME).append(time).append('\n');
    }

    @Override
    public WireEvent read(InputStream in, boolean body) throws IOException {
        TextHeader h = HEADER_IN.get();
        if (!readLine(in, h.line)) {
            return null;
        }
        FlowEvent e = new FlowEvent();
        e.binary = false;
        e.body = body;
        e.key = parseKey(h);
        e.type = parseEvent(h);
        e.timestampNanos = h.has(TextHeader.TIME) ? h.time() : 0L;
        int len = 0;
        switch (e.type) {
            case DATA:
                e.from = parseFrom(h);
                e.match = parseMatch(h);
                len = h.requireInt(TextHeader.LEN, 0, Integer.MAX_VALUE);
                if (body) {
                    e.data = BinaryWireFormat.readFully(in, len, "DATA body of " + h.text());
                }
                break;
            case DESTROYED:
                e.reason = h.has(TextHeader.REASON) ? parseReason(h) : Reason.NORMAL;
                break;
            default:
                break;
        }
        return new WireEvent(e, len);
    }

    /**
     * Reads bytes up to '\n' into {@code line} and splits it into the thread's header; false at end
     * of stream before the first byte.
     */
    private static boolean readLine(InputStream in, byte[] line) throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) {
                    return false;
                }
                throw new WireFormatException("stream ends inside a header line: "
                        + new String(line, 0, n, StandardCharsets.ISO_8859_1));
            }
            if (b == '\n') {
                HEADER_IN.get().parse(n);
                return true;
            }
            if (n >= MAX_LINE) {
                throw new WireFormatException("header line longer than " + MAX_LINE + " bytes: "
                        + new String(line, 0, 80, StandardCharsets.ISO_8859_1) + "...");
            }
            line[n++] = (byte) b;
        }
    }

    /** A reader's header line (one per thread: the format itself is a shared singleton). */
    private static final ThreadLocal<TextHeader> HEADER_IN = ThreadLocal.withInitial(() -> new TextHeader(MAX_LINE));

    private static FlowKey parseKey(TextHeader h) throws WireFormatException {
        h.requirePresent(TextHeader.L3);
        int version;
        if (h.valueIs(TextHeader.L3, "ipv4")) {
            version = 4;
        } else if (h.valueIs(TextHeader.L3, "ipv6")) {
            version = 6;
        } else {
            throw new WireFormatException(h.pair(TextHeader.L3) + " is not ipv4 or ipv6 in header: " + h.text());
        }
        int protocol = parseProtocol(h);
        byte[] a1 = h.requireAddress(TextHeader.IP1, version == 6);
        byte[] a2 = h.requireAddress(TextHeader.IP2, version == 6);
        int hop = h.requireInt(TextHeader.HOP, 0, 255);
        boolean icmp = protocol == IpProtocols.ICMP || protocol == IpProtocols.ICMPV6;
        int p1 = icmp && !h.has(TextHeader.PORT1) ? 0 : h.requireInt(TextHeader.PORT1, 0, 65535);
        int p2 = icmp && !h.has(TextHeader.PORT2) ? 0 : h.requireInt(TextHeader.PORT2, 0, 65535);
        return new FlowKey(hop, version, protocol, a1, p1, a2, p2);
    }

    private static int parseProtocol(TextHeader h) throws WireFormatException {
        h.requirePresent(TextHeader.L4);
        if (h.valueIs(TextHeader.L4, "tcp")) {
            return IpProtocols.TCP;
        }
        if (h.valueIs(TextHeader.L4, "udp")) {
            return IpProtocols.UDP;
        }
        if (h.valueIs(TextHeader.L4, "icmp")) {
            return IpProtocols.ICMP;
        }
        if (h.valueIs(TextHeader.L4, "icmpv6")) {
            return IpProtocols.ICMPV6;
        }
        return h.requireInt(TextHeader.L4, 0, 255);
    }

    private static final EventType[] EVENT_TYPES = EventType.values();
    private static final Reason[] REASONS = Reason.values();
    private static final Direction[] DIRECTIONS = Direction.values();
    private static final Match[] MATCHES = Match.values();

    private static EventType parseEvent(TextHeader h) throws WireFormatException {
        return oneOf(h, TextHeader.EVENT, EVENT_TYPES, Enum::name, "is unknown");
    }

    private static Reason parseReason(TextHeader h) throws WireFormatException {
        return oneOf(h, TextHeader.REASON, REASONS, Enum::name, "is unknown");
    }

    private static Direction parseFrom(TextHeader h) throws WireFormatException {
        return oneOf(h, TextHeader.FROM, DIRECTIONS, d -> d.text, "is not 1, 2 or none");
    }

    private static Match parseMatch(TextHeader h) throws WireFormatException {
        return oneOf(h, TextHeader.MATCH, MATCHES, m -> m.text, "is not up, down or none");
    }

    /** The value among {@code values} whose text the required key holds. */
    private static <E> E oneOf(TextHeader h, int key, E[] values, Function<E, String> text, String problem)
            throws WireFormatException {
        h.requirePresent(key);
        for (E v : values) {
            if (h.valueIs(key, text.apply(v))) {
                return v;
            }
        }
        throw new WireFormatException(h.pair(key) + " " + problem + " in header: " + h.text());
    }
}
