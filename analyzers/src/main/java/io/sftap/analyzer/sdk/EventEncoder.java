package io.sftap.analyzer.sdk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes events in the interfaces' wire formats: the inverse of {@link EventStreamReader}.
 *
 * <p>Used by {@link LoopbackWriter} and by tests and tools that play sftap's role.
 */
public final class EventEncoder {
    /** The binary {@code from} code for "no sender". */
    static final int BINARY_FROM_NONE = 3;

    private EventEncoder() {}

    /** The event as an interface sends it; {@code data} follows the header when non-empty. */
    public static byte[] encode(Format format, FlowEventHeader h, byte[] data) {
        return format == Format.TEXT ? withData(textHeader(h, false), data) : withData(binaryHeader(h), data);
    }

    /**
     * The text header line including its newline. {@code loopback} leaves out {@code match} and
     * {@code reason}, which the {@code loopback7} input does not take.
     */
    public static byte[] textHeader(FlowEventHeader h, boolean loopback) {
        FlowId f = h.flow();
        StringBuilder sb = new StringBuilder(160);
        sb.append("ip1=").append(Endpoints.address(f.ip1()));
        sb.append(",ip2=").append(Endpoints.address(f.ip2()));
        if (f.l4().hasPorts) {
            sb.append(",port1=").append(f.port1()).append(",port2=").append(f.port2());
        }
        sb.append(",hop=").append(f.hop());
        sb.append(",l3=").append(f.l3().text).append(",l4=").append(f.l4().text);
        sb.append(",event=").append(h.event().name());
        if (h.event() == EventType.DATA) {
            sb.append(",from=").append(h.from() == 0 ? "none" : Integer.toString(h.from()));
            if (!loopback) {
                sb.append(",match=").append(h.match().text());
            }
            sb.append(",len=").append(h.len());
        }
        if (h.event() == EventType.DESTROYED && h.reason() != null && !loopback) {
            sb.append(",reason=").append(h.reason().name());
        }
        if (h.time() != null) {
            sb.append(",time=").append(h.timeText());
        }
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The 64-byte binary header. DATA longer than 65535 bytes cannot be expressed in it. */
    public static byte[] binaryHeader(FlowEventHeader h) {
        if (h.len() > 0xffff) {
            throw new IllegalArgumentException("binary format carries at most 65535 bytes per event, not " + h.len());
        }
        FlowId f = h.flow();
        ByteBuffer b = ByteBuffer.allocate(EventStreamReader.BINARY_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, f.ip1().getAddress());
        b.put(16, f.ip2().getAddress());
        Instant t = h.time();
        b.putLong(32, t == null ? 0 : t.getEpochSecond());
        b.putLong(40, t == null ? 0 : t.getNano() / 1000);
        b.order(ByteOrder.BIG_ENDIAN).putShort(48, (short) f.port1()).putShort(50, (short) f.port2());
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.put(52, (byte) h.event().binaryCode);
        b.put(53, (byte) (h.from() == 1 ? 0 : h.from() == 2 ? 1 : BINARY_FROM_NONE));
        b.putShort(54, (short) h.len());
        b.put(56, (byte) f.hop());
        b.put(57, (byte) f.l3().binaryCode);
        b.put(58, (byte) f.l4().protocolNumber);
        b.put(59, (byte) h.match().binaryCode);
        b.put(60, (byte) (h.reason() == null ? 0 : h.reason().binaryCode));
        return b.array();
    }

    private static byte[] withData(byte[] header, byte[] data) {
        if (data == null || data.length == 0) {
            return header;
        }
        byte[] out = new byte[header.length + data.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(data, 0, out, header.length, data.length);
        return out;
    }
}
