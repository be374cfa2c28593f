package io.sftap.source.pcap;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads pcapng files through a memory mapping: Section Header Blocks (either byte order, several
 * sections), Interface Description Blocks (link type, {@code if_tsresol}, {@code if_tsoffset}),
 * Enhanced, Simple and obsolete Packet Blocks. Other blocks are skipped by their length.
 *
 * <p>{@link #position()} is the file offset of the next block. Because a block's meaning depends on
 * the interfaces of its section, {@link #seek} re-reads the block headers from the start of the file
 * (skipping packet data), which costs a scan of block headers, not of the data.
 */
public final class PcapngFileReader implements CaptureFileReader {
    private static final Logger LOG = LoggerFactory.getLogger(PcapngFileReader.class);

    /** Larger blocks are treated as corruption. */
    static final int MAX_BLOCK_LENGTH = 16 << 20;

    static final int SECTION_HEADER = 0x0a0d0d0a;
    static final int INTERFACE_DESCRIPTION = 1;
    static final int PACKET_OBSOLETE = 2;
    static final int SIMPLE_PACKET = 3;
    static final int ENHANCED_PACKET = 6;
    static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;

    private static final int OPT_END = 0;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;
    private static final int DEFAULT_TSRESOL = 6;

    private enum Step { RECORD, SKIPPED, END }

    private final Path path;
    private final MappedFileWindow file;
    /** Interfaces of the current section, by interface id. */
    private final List<PcapngInterface> interfaces = new ArrayList<>();
    /** Offset of the next block. */
    private long position;
    /** Timestamp of the last packet: Simple Packet Blocks have none of their own and reuse it. */
    private long lastTimestampNanos;
    private boolean stopped;
    private long malformed;

    public PcapngFileReader(Path path) throws IOException {
        this(path, MappedFileWindow.DEFAULT_WINDOW);
    }

    PcapngFileReader(Path path, int windowSize) throws IOException {
        this.path = path;
        this.file = new MappedFileWindow(path, windowSize);
        try {
            if (file.size() < 28) {
                throw new IOException("pcapng file " + path + " is truncated: its section header needs 28 bytes, the file has "
                        + file.size());
            }
            int i = file.ensure(0, 12);
            if (file.buffer().getInt(i) != SECTION_HEADER) {
                throw new IOException("not a pcapng file: " + path + " (no section header block at offset 0)");
            }
            if (sectionByteOrder(file.buffer().getInt(i + 8)) == null) {
                throw new IOException("pcapng file " + path + " has a bad byte-order magic in its section header");
            }
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public boolean next(CaptureRecord r) throws IOException {
        while (true) {
            switch (step(r, true)) {
                case RECORD:
                    return true;
                case END:
                    return false;
                default:
                    break;
            }
        }
    }

    /**
     * Handles the block at {@link #position} and moves past it. With {@code deliver} false, packet
     * blocks are skipped (only their timestamps are kept).
     */
    private Step step(CaptureRecord r, boolean deliver) throws IOException {
        long remaining = file.size() - position;
        if (stopped || remaining == 0) {
            return Step.END;
        }
        if (remaining < 12) {
            return malformed("truncated block header (" + remaining + " bytes left)");
        }
        int i = file.ensure(position, 12);
        MappedByteBuffer b = file.buffer();
        int type = b.getInt(i);
        if (type == SECTION_HEADER) {
            // The block type reads the same in both orders; the magic after the length decides.
            int magic = b.getInt(i + 8);
            ByteOrder order = sectionByteOrder(file.order() == ByteOrder.BIG_ENDIAN ? magic : Integer.reverseBytes(magic));
            if (order == null) {
                return malformed("bad byte-order magic in a section header");
            }
            file.order(order);
            b = file.buffer();
        }
        int length = b.getInt(i + 4);
        if (length < 12 || (length & 3) != 0 || length > MAX_BLOCK_LENGTH) {
            return malformed("impossible block length " + Integer.toUnsignedString(length));
        }
        if (length > remaining) {
            return malformed("block of " + length + " bytes runs past the end of the file");
        }
        i = file.ensure(position, length);
        b = file.buffer();
        if (b.getInt(i + length - 4) != length) {
            return malformed("block's trailing length differs from its leading length " + length);
        }
        Step result;
        switch (type) {
            case SECTION_HEADER:
                interfaces.clear();
                result = length >= 28 ? Step.SKIPPED : malformed("section header of " + length + " bytes");
                break;
            case INTERFACE_DESCRIPTION:
                result = interfaceDescription(b, i, length);
                break;
            case ENHANCED_PACKET:
                result = enhancedPacket(b, i, length, r, deliver);
                break;
            case SIMPLE_PACKET:
                result = simplePacket(b, i, length, r, deliver);
                break;
            case PACKET_OBSOLETE:
                result = obsoletePacket(b, i, length, r, deliver);
                break;
            default:
                result = Step.SKIPPED;
        }
        if (result != Step.END) {
            position += length;
        }
        return result;
    }

    private Step interfaceDescription(MappedByteBuffer b, int i, int length) {
        if (length < 20) {
            return malformed("interface description of " + length + " bytes");
        }
        int linkType = b.getShort(i + 8) & 0xffff;
        int snapLength = b.getInt(i + 12);
        int tsresol = DEFAULT_TSRESOL;
        long tsoffset = 0;
        int end = i + length - 4;
        for (int o = i + 16; o + 4 <= end; ) {
            int code = b.getShort(o) & 0xffff;
            int optionLength = b.getShort(o + 2) & 0xffff;
            if (code == OPT_END || o + 4 + optionLength > end) {
                break;
            }
            if (code == IF_TSRESOL && optionLength >= 1) {
                tsresol = b.get(o + 4) & 0xff;
            } else if (code == IF_TSOFFSET && optionLength >= 8) {
                tsoffset = b.getLong(o + 4);
            }
            o += 4 + ((optionLength + 3) & ~3);
        }
        PcapngInterface description = PcapngInterface.of(linkType, snapLength, tsresol, tsoffset);
        if (description == null) {
            return malformed("unsupported timestamp resolution 0x" + Integer.toHexString(tsresol));
        }
        interfaces.add(description);
        return Step.SKIPPED;
    }

    private Step enhancedPacket(MappedByteBuffer b, int i, int length, CaptureRecord r, boolean deliver) {
        if (length < 32) {
            return malformed("enhanced packet block of " + length + " bytes");
        }
        int interfaceId = b.getInt(i + 8);
        long units = (Integer.toUnsignedLong(b.getInt(i + 12)) << 32) | Integer.toUnsignedLong(b.getInt(i + 16));
        return packet(b, i, length, r, deliver, interfaceId, units, b.getInt(i + 20), b.getInt(i + 24), 28);
    }

    private Step obsoletePacket(MappedByteBuffer b, int i, int length, CaptureRecord r, boolean deliver) {
        if (length < 32) {
            return malformed("packet block of " + length + " bytes");
        }
        int interfaceId = b.getShort(i + 8) & 0xffff;
        long units = (Integer.toUnsignedLong(b.getInt(i + 12)) << 32) | Integer.toUnsignedLong(b.getInt(i + 16));
        return packet(b, i, length, r, deliver, interfaceId, units, b.getInt(i + 20), b.getInt(i + 24), 28);
    }

    private Step packet(MappedByteBuffer b, int i, int length, CaptureRecord r, boolean deliver,
            int interfaceId, long units, int captured, int original, int dataOffset) {
        if (interfaceId < 0 || interfaceId >= interfaces.size()) {
            return malformed("packet for undeclared interface " + Integer.toUnsignedString(interfaceId));
        }
        if (captured < 0 || captured > PcapFileReader.MAX_CAPTURED_LENGTH || captured > length - dataOffset - 4) {
            return malformed("impossible captured length " + Integer.toUnsignedString(captured));
        }
        PcapngInterface description = interfaces.get(interfaceId);
        lastTimestampNanos = description.toNanos(units);
        if (!deliver) {
            return Step.SKIPPED;
        }
        fill(r, b, i + dataOffset, captured, original, interfaceId, description.linkType);
        return Step.RECORD;
    }

    private Step simplePacket(MappedByteBuffer b, int i, int length, CaptureRecord r, boolean deliver) {
        if (length < 16) {
            return malformed("simple packet block of " + length + " bytes");
        }
        if (interfaces.isEmpty()) {
            return malformed("simple packet block before any interface description");
        }
        if (!deliver) {
            return Step.SKIPPED;
        }
        PcapngInterface first = interfaces.get(0);
        int original = b.getInt(i + 8);
        long captured = Math.min(Integer.toUnsignedLong(original), length - 16);
        if (first.snapLength > 0) {
            captured = Math.min(captured, first.snapLength);
        }
        if (captured > PcapFileReader.MAX_CAPTURED_LENGTH) {
            return malformed("impossible captured length " + captured);
        }
        fill(r, b, i + 12, (int) captured, original, 0, first.linkType);
        return Step.RECORD;
    }

    private void fill(CaptureRecord r, MappedByteBuffer b, int dataIndex, int captured, int original,
            int interfaceId, int linkType) {
        b.get(dataIndex, r.buffer(captured), 0, captured);
        r.offset = 0;
        r.length = captured;
        r.originalLength = original;
        r.interfaceId = interfaceId;
        r.linkType = linkType;
        r.timestampNanos = lastTimestampNanos;
    }

    /** The byte order of a section whose byte-order magic, read big-endian, is {@code magic}. */
    private static ByteOrder sectionByteOrder(int magic) {
        if (magic == BYTE_ORDER_MAGIC) {
            return ByteOrder.BIG_ENDIAN;
        }
        if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        return null;
    }

    private Step malformed(String what) {
        malformed++;
        stopped = true;
        LOG.warn("pcapng file {}: {} at offset {}; skipping the rest of the file", path, what, position);
        return Step.END;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long target) throws IOException {
        if (target < 0 || target > file.size()) {
            throw new IOException("cannot seek pcapng file " + path + " to " + target + ": the file has " + file.size() + " bytes");
        }
        position = 0;
        stopped = false;
        interfaces.clear();
        lastTimestampNanos = 0;
        long malformedBefore = malformed;
        while (position < target) {
            if (step(null, false) == Step.END) {
                malformed = malformedBefore;
                stopped = false;
                throw new IOException("cannot seek pcapng file " + path + " to " + target
                        + ": the blocks before it end or are malformed at offset " + position);
            }
        }
        if (position != target) {
            throw new IOException("cannot seek pcapng file " + path + " to " + target + ": not the start of a block");
        }
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
