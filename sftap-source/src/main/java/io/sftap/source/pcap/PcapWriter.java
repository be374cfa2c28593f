package io.sftap.source.pcap;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes classic libpcap files (microsecond or nanosecond timestamps, either byte order) for
 * tests, sample captures and benchmarks.
 *
 * <p>{@code try (PcapWriter w = PcapWriter.create(path, LinkTypes.ETHERNET, true)) { w.write(ts, frame); }}
 */
public final class PcapWriter implements Closeable {
    public static final int DEFAULT_SNAP_LENGTH = PcapFileReader.MAX_CAPTURED_LENGTH;

    private final OutputStream out;
    private final boolean nanosecond;
    private final ByteBuffer header;

    /** A writer of a nanosecond or microsecond file in little-endian order (as most hosts write). */
    public static PcapWriter create(Path path, int linkType, boolean nanosecond) throws IOException {
        return new PcapWriter(Files.newOutputStream(path), linkType, nanosecond, ByteOrder.LITTLE_ENDIAN);
    }

    public PcapWriter(OutputStream out, int linkType, boolean nanosecond, ByteOrder order) throws IOException {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.nanosecond = nanosecond;
        this.header = ByteBuffer.allocate(PcapFileReader.FILE_HEADER).order(order);
        header.putInt(nanosecond ? 0xa1b23c4d : 0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(DEFAULT_SNAP_LENGTH)
                .putInt(linkType);
        this.out.write(header.array(), 0, PcapFileReader.FILE_HEADER);
    }

    /** Writes a whole frame (captured length = original length). */
    public void write(long timestampNanos, byte[] frame) throws IOException {
        write(timestampNanos, frame, 0, frame.length, frame.length);
    }

    /** Writes {@code data[off, off + capturedLength)} as a frame of {@code originalLength} bytes. */
    public void write(long timestampNanos, byte[] data, int off, int capturedLength, int originalLength)
            throws IOException {
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long nanos = Math.floorMod(timestampNanos, 1_000_000_000L);
        header.clear();
        header.putInt((int) seconds)
                .putInt((int) (nanosecond ? nanos : nanos / 1000))
                .putInt(capturedLength)
                .putInt(originalLength);
        out.write(header.array(), 0, PcapFileReader.RECORD_HEADER);
        out.write(data, off, capturedLength);
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
