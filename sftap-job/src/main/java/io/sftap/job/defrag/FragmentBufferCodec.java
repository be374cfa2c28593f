package io.sftap.job.defrag;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Versioned binary form of {@link FragmentBuffer} for keyed state and savepoints.
 *
 * <p>Version 1: {@code int version, long firstTimestampNanos, int totalLength, int fragmentCount,
 * int upperProtocol, int rangeCount}, then per held range in order {@code int start, int length,
 * byte[length]}. Change the format only by adding a version and keeping the readers of old ones.
 */
public final class FragmentBufferCodec {
    public static final int CURRENT_VERSION = 1;

    /** No fragment the defragmenter accepts ends beyond this, so stored ranges cannot either. */
    private static final int MAX_DATAGRAM_BYTES =
            Math.max(Defragmenter.IPV4_MAX_DATA_BYTES, Defragmenter.IPV6_MAX_PAYLOAD_LENGTH);

    private FragmentBufferCodec() {}

    public static void write(FragmentBuffer buffer, DataOutput out) throws IOException {
        out.writeInt(CURRENT_VERSION);
        out.writeLong(buffer.firstTimestampNanos());
        out.writeInt(buffer.totalLength());
        out.writeInt(buffer.fragmentCount());
        out.writeInt(buffer.upperProtocol());
        out.writeInt(buffer.rangeCount());
        for (int i = 0; i < buffer.rangeCount(); i++) {
            byte[] bytes = buffer.rangeBytes(i);
            out.writeInt(buffer.rangeStart(i));
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /**
     * @throws IOException on an unknown version or bytes that break the buffer's invariant
     */
    public static FragmentBuffer read(DataInput in) throws IOException {
        int version = in.readInt();
        if (version != CURRENT_VERSION) {
            throw new IOException(
                    "unsupported FragmentBuffer format version " + version
                            + " (this build reads version " + CURRENT_VERSION + ")");
        }
        try {
            long firstTimestampNanos = in.readLong();
            int totalLength = in.readInt();
            if (totalLength > MAX_DATAGRAM_BYTES) {
                throw new IOException("corrupt FragmentBuffer: total length " + totalLength);
            }
            FragmentBuffer buffer =
                    FragmentBuffer.restore(firstTimestampNanos, totalLength, in.readInt(), in.readInt());
            int ranges = in.readInt();
            if (ranges < 0 || ranges > buffer.fragmentCount()) {
                throw new IOException(
                        "corrupt FragmentBuffer: " + ranges + " ranges from "
                                + buffer.fragmentCount() + " fragments");
            }
            for (int i = 0; i < ranges; i++) {
                int start = in.readInt();
                int length = in.readInt();
                if (start < 0 || length <= 0 || (long) start + length > MAX_DATAGRAM_BYTES) {
                    throw new IOException(
                            "corrupt FragmentBuffer: range at " + start + " of " + length + " bytes");
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                buffer.restoreRange(start, bytes);
            }
            return buffer;
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt FragmentBuffer: " + e.getMessage(), e);
        }
    }

    /** The buffer as one byte array (the value kept in keyed state). */
    public static byte[] toBytes(FragmentBuffer buffer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + buffer.heldBytes());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(buffer, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Reads a buffer written by {@link #toBytes}. */
    public static FragmentBuffer fromBytes(byte[] bytes) throws IOException {
        return read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
}
