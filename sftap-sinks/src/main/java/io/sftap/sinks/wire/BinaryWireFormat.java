package io.sftap.sinks.wire;

import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * SF-TAP's binary format ({@code format: binary}): the 64-byte {@code fabs_appif_header}, then
 * {@code len} bytes for DATA on a {@code body: yes} interface.
 *
 * <pre>
 * offset size field
 *   0    16   address1 (IPv4 in the first 4 bytes, rest zero)
 *  16    16   address2
 *  32     8   time, seconds      int64 little-endian (x86 host order of struct timeval)
 *  40     8   time, microseconds int64 little-endian
 *  48     2   port1 u16 big-endian
 *  50     2   port2 u16 big-endian
 *  52     1   event: 0 CREATED, 1 DESTROYED, 2 DATA
 *  53     1   from: 0 endpoint1, 1 endpoint2, 3 none
 *  54     2   len u16 little-endian (stated even when body: no sends no bytes)
 *  56     1   hop
 *  57     1   l3: 0 (IPPROTO_IP) for IPv4, 41 (IPPROTO_IPV6) for IPv6
 *  58     1   l4: IP protocol number
 *  59     1   match: 0 up, 1 down, 2 none
 *  60     1   reason: 0 normal, 1 reset, 2 timeout, 3 compromised (sftap; SF-TAP left it zero)
 *  61     3   zero
 * </pre>
 */
public final class BinaryWireFormat implements WireFormat {
    public static final BinaryWireFormat INSTANCE = new BinaryWireFormat();

    /** Size of the header. */
    public static final int HEADER_LENGTH = 64;
    /** {@code l3} of IPv4 ({@code IPPROTO_IP}). */
    public static final int L3_IPV4 = 0;
    /** {@code l3} of IPv6 ({@code IPPROTO_IPV6}). */
    public static final int L3_IPV6 = 41;

    private BinaryWireFormat() {}

    @Override
    public byte[] encode(FlowEvent event) {
        boolean withBody = event.body && event.type == EventType.DATA;
        int chunks = WireFormat.chunkCount(event);
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH * chunks + (withBody ? event.data.length : 0));
        for (int c = 0; c < chunks; c++) {
            int len = WireFormat.chunkLength(event, c);
            writeHeader(out, event, len);
            if (withBody) {
                out.put(event.data, c * MAX_DATA_LENGTH, len);
            }
        }
        return out.array();
    }

    @Override
    public EncodedEvent encodeParts(FlowEvent event) {
        if (WireFormat.chunkCount(event) != 1) {
            return EncodedEvent.of(encode(event));
        }
        int len = WireFormat.chunkLength(event, 0);
        ByteBuffer head = ByteBuffer.allocate(HEADER_LENGTH);
        writeHeader(head, event, len);
        boolean withBody = event.body && event.type == EventType.DATA;
        return EncodedEvent.of(head.array(), event.data, withBody ? len : 0);
    }

    private static void writeHeader(ByteBuffer out, FlowEvent e, int len) {
        FlowKey k = e.key;
        int start = out.position();
        out.put(k.addr1).position(start + 16);
        out.put(k.addr2).position(start + 32);
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(WireTime.seconds(e.timestampNanos));
        out.putLong(WireTime.micros(e.timestampNanos));
        out.order(ByteOrder.BIG_ENDIAN);
        out.putShort((short) k.port1);
        out.putShort((short) k.port2);
        out.put((byte) e.type.binaryCode);
        out.put((byte) e.from.binaryCode);
        out.order(ByteOrder.LITTLE_ENDIAN).putShort((short) len).order(ByteOrder.BIG_ENDIAN);
        out.put(k.hop);
        out.put((byte) (k.ipVersion == 6 ? L3_IPV6 : L3_IPV4));
        out.put(k.protocol);
        out.put((byte) (e.type == EventType.DATA ? e.match.binaryCode : Match.NONE.binaryCode));
        out.put((byte) (e.type == EventType.DESTROYED ? e.reason.binaryCode : 0));
        out.position(start + HEADER_LENGTH);
    }

    @Override
    public WireEvent read(InputStream in, boolean body) throws IOException {
        byte[] first = in.readNBytes(1);
        if (first.length == 0) {
            return null;
        }
        byte[] header = new byte[HEADER_LENGTH];
        header[0] = first[0];
        int n = in.readNBytes(header, 1, HEADER_LENGTH - 1);
        if (n != HEADER_LENGTH - 1) {
            throw new WireFormatException("stream ends inside a binary header (" + (n + 1) + " of "
                    + HEADER_LENGTH + " bytes)");
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        int l3 = h.get(57) & 0xff;
        int version;
        if (l3 == L3_IPV4) {
            version = 4;
        } else if (l3 == L3_IPV6) {
            version = 6;
        } else {
            throw new WireFormatException("binary header has l3=" + l3 + ", not 0 (IPv4) or 41 (IPv6)");
        }
        int addrLength = version == 4 ? 4 : 16;
        FlowKey key = new FlowKey(h.get(56) & 0xff, version, h.get(58) & 0xff,
                Arrays.copyOfRange(header, 0, addrLength), h.getShort(48) & 0xffff,
                Arrays.copyOfRange(header, 16, 16 + addrLength), h.getShort(50) & 0xffff);
        h.order(ByteOrder.LITTLE_ENDIAN);
        long seconds = h.getLong(32);
        long micros = h.getLong(40);
        int len = h.getShort(54) & 0xffff;

        FlowEvent e = new FlowEvent();
        e.binary = true;
        e.body = body;
        e.key = key;
        e.timestampNanos = WireTime.nanos(seconds, micros);
        e.type = byCode(EventType.values(), t -> t.binaryCode, h.get(52) & 0xff, "event");
        if (e.type == EventType.DATA) {
            e.from = fromCode(h.get(53) & 0xff);
            e.match = byCode(Match.values(), m -> m.binaryCode, h.get(59) & 0xff, "match");
            if (body) {
                e.data = readFully(in, len, "DATA body");
            }
        } else if (e.type == EventType.DESTROYED) {
            e.reason = byCode(Reason.values(), r -> r.binaryCode, h.get(60) & 0xff, "reason");
        }
        return new WireEvent(e, e.type == EventType.DATA ? len : 0);
    }

    private static Direction fromCode(int code) throws WireFormatException {
        for (Direction d : Direction.values()) {
            if (d.binaryCode == code) {
                return d;
            }
        }
        throw new WireFormatException("binary header has from=" + code + ", not 0, 1 or 3");
    }

    private static <E> E byCode(E[] values, ToIntFunction<E> codeOf, int code, String field)
            throws WireFormatException {
        for (E v : values) {
            if (codeOf.applyAsInt(v) == code) {
                return v;
            }
        }
        throw new WireFormatException("binary header has unknown " + field + "=" + code);
    }

    static byte[] readFully(InputStream in, int len, String what) throws IOException {
        byte[] data = in.readNBytes(len);
        if (data.length != len) {
            throw new WireFormatException("stream ends inside " + what + " (" + data.length + " of "
                    + len + " bytes)");
        }
        return data;
    }
}
