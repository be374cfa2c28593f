package io.sftap.source.live;

import io.sftap.source.pcap.CaptureRecord;
import io.sftap.source.pcap.PcapFileReader;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Incremental parser of a classic pcap stream (global header, then records) arriving in pieces from
 * a socket: either byte order, microsecond or nanosecond magic.
 *
 * <p>Feed bytes into {@link #fillTarget()} and call {@link #filled(int)}; then {@link #next} yields
 * whole records. A record's bytes stay valid until the next {@link #fillTarget()} call. Invariant:
 * {@code buf[start, end)} holds the bytes received and not yet parsed.
 */
public final class PcapStreamParser {
    static final int GLOBAL_HEADER = 24;
    static final int RECORD_HEADER = 16;
    private static final int INITIAL_BUFFER = 64 * 1024;

    private byte[] buf = new byte[INITIAL_BUFFER];
    private int start;
    private int end;
    private boolean headerRead;
    private boolean bigEndian;
    private boolean nanosecond;
    private int linkType;
    private long records;

    /** Thrown when the stream cannot be pcap; the connection it came from should be closed. */
    public static final class MalformedStreamException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedStreamException(String message) {
            super(message);
        }
    }

    /** Room for at least one more read of the socket, after the bytes not yet parsed. */
    public ByteBuffer fillTarget() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        int need = needed();
        if (end == buf.length || need > buf.length) {
            byte[] bigger = new byte[Math.max(buf.length * 2, need)];
            System.arraycopy(buf, 0, bigger, 0, end);
            buf = bigger;
        }
        return ByteBuffer.wrap(buf, end, buf.length - end);
    }

    /** Says that {@code n} bytes were written into the last {@link #fillTarget()}. */
    public void filled(int n) {
        end += n;
    }

    /**
     * Parses the next whole record into {@code r} ({@code r.data} points into this parser's buffer).
     *
     * @return false when more bytes are needed
     * @throws MalformedStreamException when the bytes cannot be a pcap stream
     */
    public boolean next(CaptureRecord r) throws MalformedStreamException {
        if (!headerRead && !readGlobalHeader()) {
            return false;
        }
        if (end - start < RECORD_HEADER) {
            return false;
        }
        long seconds = u32(start);
        long fraction = u32(start + 4);
        int captured = (int) Math.min(u32(start + 8), Integer.MAX_VALUE);
        long original = u32(start + 12);
        if (captured > PcapFileReader.MAX_CAPTURED_LENGTH) {
            throw new MalformedStreamException("record " + (records + 1) + " claims " + u32(start + 8)
                    + " captured bytes (at most " + PcapFileReader.MAX_CAPTURED_LENGTH + ")");
        }
        if (fraction >= (nanosecond ? 1_000_000_000L : 1_000_000L)) {
            throw new MalformedStreamException("record " + (records + 1) + " has a sub-second field of " + fraction);
        }
        if (end - start < RECORD_HEADER + captured) {
            return false;
        }
        r.timestampNanos = seconds * 1_000_000_000L + (nanosecond ? fraction : fraction * 1000);
        r.linkType = linkType;
        r.data = buf;
        r.offset = start + RECORD_HEADER;
        r.length = captured;
        r.originalLength = (int) Math.min(Math.max(original, captured), Integer.MAX_VALUE);
        r.interfaceId = 0;
        start += RECORD_HEADER + captured;
        records++;
        return true;
    }

    private boolean readGlobalHeader() throws MalformedStreamException {
        if (end - start < 4) {
            return false;
        }
        int magic = ((buf[start] & 0xff) << 24) | ((buf[start + 1] & 0xff) << 16) | ((buf[start + 2] & 0xff) << 8)
                | (buf[start + 3] & 0xff);
        switch (magic) {
            case 0xa1b2c3d4: bigEndian = true; nanosecond = false; break;
            case 0xa1b23c4d: bigEndian = true; nanosecond = true; break;
            case 0xd4c3b2a1: bigEndian = false; nanosecond = false; break;
            case 0x4d3cb2a1: bigEndian = false; nanosecond = true; break;
            default:
                throw new MalformedStreamException("not a pcap stream (magic " + String.format("%08x", magic)
                        + "; pcapng is not accepted here)");
        }
        if (end - start < GLOBAL_HEADER) {
            return false; // the magic is good: wait for the rest of the header
        }
        int major = u16(start + 4);
        if (major != 2) {
            throw new MalformedStreamException("unsupported pcap version " + major + "." + u16(start + 6));
        }
        linkType = (int) (u32(start + 20) & 0xffff);
        start += GLOBAL_HEADER;
        headerRead = true;
        return true;
    }

    /** True when bytes of an unfinished header or record are buffered. */
    public boolean inMiddleOfRecord() {
        return end > start;
    }

    /** Records parsed so far. */
    public long records() {
        return records;
    }

    /** The stream's link type, or -1 before its header arrived. */
    public int linkType() {
        return headerRead ? linkType : -1;
    }

    /** Bytes needed before the next header or record is whole. */
    private int needed() {
        if (!headerRead) {
            return GLOBAL_HEADER;
        }
        if (end - start < RECORD_HEADER) {
            return RECORD_HEADER;
        }
        long captured = u32(start + 8);
        return (int) Math.min(RECORD_HEADER + captured, RECORD_HEADER + PcapFileReader.MAX_CAPTURED_LENGTH);
    }

    private int u16(int i) {
        return bigEndian ? ((buf[i] & 0xff) << 8) | (buf[i + 1] & 0xff) : ((buf[i + 1] & 0xff) << 8) | (buf[i] & 0xff);
    }

    private long u32(int i) {
        long b0 = buf[i] & 0xff;
        long b1 = buf[i + 1] & 0xff;
        long b2 = buf[i + 2] & 0xff;
        long b3 = buf[i + 3] & 0xff;
        return bigEndian ? (b0 << 24) | (b1 << 16) | (b2 << 8) | b3 : (b3 << 24) | (b2 << 16) | (b1 << 8) | b0;
    }
}
