package io.sftap.source.pcap;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads classic libpcap files (microsecond or nanosecond magic, either byte order) through a
 * memory mapping. {@link #position()} is the byte offset of the next record header.
 */
public final class PcapFileReader implements CaptureFileReader {
    private static final Logger LOG = LoggerFactory.getLogger(PcapFileReader.class);

    /** Larger captured lengths are impossible (libpcap's own limit) and mark a corrupt record. */
    public static final int MAX_CAPTURED_LENGTH = 256 * 1024;

    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;

    private final Path path;
    private final MappedFileWindow file;
    private final int linkType;
    private final boolean nanosecond;
    private final int snapLength;
    /** Offset of the next record header; FILE_HEADER <= position <= file size. */
    private long position = FILE_HEADER;
    /** Set at a malformed record: nothing more is read until a seek. */
    private boolean stopped;
    private long malformed;

    public PcapFileReader(Path path) throws IOException {
        this(path, MappedFileWindow.DEFAULT_WINDOW);
    }

    PcapFileReader(Path path, int windowSize) throws IOException {
        this.path = path;
        this.file = new MappedFileWindow(path, windowSize);
        try {
            if (file.size() < FILE_HEADER) {
                throw new IOException("pcap file " + path + " is truncated: its header needs "
                        + FILE_HEADER + " bytes, the file has " + file.size());
            }
            int i = file.ensure(0, FILE_HEADER);
            MappedByteBuffer b = file.buffer();
            int magic = b.getInt(i);
            switch (magic) {
                case 0xa1b2c3d4:
                case 0xa1b23c4d:
                    file.order(ByteOrder.BIG_ENDIAN);
                    break;
                case 0xd4c3b2a1:
                case 0x4d3cb2a1:
                    file.order(ByteOrder.LITTLE_ENDIAN);
                    break;
                default:
                    throw new IOException("not a pcap file: " + path + " (magic " + Integer.toHexString(magic) + ")");
            }
            this.nanosecond = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
            b = file.buffer();
            this.snapLength = b.getInt(i + 16);
            // The low 16 bits are the link type; the upper bits may carry FCS information.
            this.linkType = b.getInt(i + 20) & 0xffff;
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public int linkType() {
        return linkType;
    }

    public boolean isNanosecond() {
        return nanosecond;
    }

    public int snapLength() {
        return snapLength;
    }

    @Override
    public boolean next(CaptureRecord r) throws IOException {
        long remaining = file.size() - position;
        if (stopped || remaining == 0) {
            return false;
        }
        if (remaining < RECORD_HEADER) {
            return malformed("truncated record header (" + remaining + " bytes left)");
        }
        int i = file.ensure(position, RECORD_HEADER);
        MappedByteBuffer b = file.buffer();
        long seconds = Integer.toUnsignedLong(b.getInt(i));
        long fraction = Integer.toUnsignedLong(b.getInt(i + 4));
        int captured = b.getInt(i + 8);
        int original = b.getInt(i + 12);
        if (captured < 0 || captured > MAX_CAPTURED_LENGTH) {
            return malformed("impossible captured length " + Integer.toUnsignedString(captured));
        }
        if (captured > remaining - RECORD_HEADER) {
            return malformed("record of " + captured + " bytes runs past the end of the file");
        }
        i = file.ensure(position + RECORD_HEADER, captured);
        file.buffer().get(i, r.buffer(captured), 0, captured);
        r.linkType = linkType;
        r.timestampNanos = seconds * 1_000_000_000L + (nanosecond ? fraction : fraction * 1000L);
        r.offset = 0;
        r.length = captured;
        r.originalLength = original;
        r.interfaceId = 0;
        position += RECORD_HEADER + captured;
        return true;
    }

    private boolean malformed(String what) {
        malformed++;
        stopped = true;
        LOG.warn("pcap file {}: {} at offset {}; skipping the rest of the file", path, what, position);
        return false;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long newPosition) throws IOException {
        long target = newPosition == 0 ? FILE_HEADER : newPosition;
        if (target < FILE_HEADER || target > file.size()) {
            throw new IOException("cannot seek pcap file " + path + " to " + newPosition
                    + ": records lie between " + FILE_HEADER + " and " + file.size());
        }
        position = target;
        stopped = false;
    }

    @Override
    public long malformedRecords() {
        return malformed;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
