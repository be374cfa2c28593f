package io.sftap.source.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only memory mapping of a file, one window at a time, so files of any size (past the 2 GiB
 * of one {@link MappedByteBuffer}) can be read with absolute gets.
 *
 * <p>Invariant: {@link #buffer} maps file bytes {@code [base, base + buffer.limit())}.
 */
final class MappedFileWindow implements Closeable {
    static final int DEFAULT_WINDOW = 64 << 20;

    private final FileChannel channel;
    private final long size;
    private final int windowSize;
    private MappedByteBuffer buffer;
    private long base;
    private ByteOrder order = ByteOrder.BIG_ENDIAN;

    MappedFileWindow(Path path, int windowSize) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
        this.windowSize = windowSize;
    }

    long size() {
        return size;
    }

    void order(ByteOrder order) {
        this.order = order;
        if (buffer != null) {
            buffer.order(order);
        }
    }

    ByteOrder order() {
        return order;
    }

    /**
     * Makes file bytes {@code [pos, pos + len)} readable and returns the index of {@code pos} in
     * {@link #buffer()}. The caller has checked that the range lies inside the file.
     */
    int ensure(long pos, int len) throws IOException {
        if (buffer == null || pos < base || pos + len > base + buffer.limit()) {
            long length = Math.min(size - pos, Math.max(windowSize, len));
            buffer = channel.map(FileChannel.MapMode.READ_ONLY, pos, length);
            buffer.order(order);
            base = pos;
        }
        return (int) (pos - base);
    }

    /** The current window; valid until the next {@link #ensure}. */
    MappedByteBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() throws IOException {
        buffer = null;
        channel.close();
    }
}
