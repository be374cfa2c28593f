package io.sftap.job.flow;

import io.sftap.job.codec.VarInts;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The format of the encoded state cache's dirty flows in a snapshot's raw keyed state. Each key
 * group is written as: magic {@code SFCF}, layout, flow count (varint), then per flow its
 * serialized key and its encoded state, each as a varint length and the bytes. Every key group of
 * the range is written, empty ones too, so a restore finds a header wherever Flink points it.
 */
final class CachedFlowsRawState {
    static final int MAGIC = 0x53464346; // "SFCF"
    static final int LAYOUT = 1;
    /** Longest serialized flow key accepted on read (IPv6 keys take 41 bytes). */
    static final int MAX_KEY_BYTES = 255;

    private CachedFlowsRawState() {
    }

    /** Marks the start of a key group in the raw stream (Flink records its offset). */
    @FunctionalInterface
    interface KeyGroupStarter {
        void start(int keyGroup) throws IOException;
    }

    /** Receives one restored flow. */
    @FunctionalInterface
    interface FlowSink {
        void accept(byte[] key, byte[] state) throws Exception;
    }

    /**
     * Writes {@code flows} group by group to {@code out}, calling {@code starter} before each group
     * with everything before it already in {@code out}; {@code out} is flushed, not closed.
     *
     * @return bytes written
     */
    static long write(EncodedStateCache.DirtyFlows flows, OutputStream out, KeyGroupStarter starter) throws IOException {
        CountingOutputStream counted = new CountingOutputStream(out);
        BufferedOutputStream buffered = new BufferedOutputStream(counted, 1 << 16);
        DataOutputStream data = new DataOutputStream(buffered);
        for (int g = 0; g < flows.keyGroups(); g++) {
            data.flush(); // the group's offset is the stream's position: nothing may wait in the buffer
            starter.start(flows.firstKeyGroup() + g);
            data.writeInt(MAGIC);
            data.writeByte(LAYOUT);
            int count = flows.count(g);
            VarInts.writeUnsigned(count, data);
            for (int i = 0; i < count; i++) {
                byte[] key = flows.key(g, i);
                byte[] state = flows.state(g, i);
                VarInts.writeUnsigned(key.length, data);
                data.write(key);
                VarInts.writeUnsigned(state.length, data);
                data.write(state);
            }
        }
        data.flush();
        return counted.count;
    }

    /**
     * Reads one key group written by {@link #write} from {@code in}, which Flink positioned at the
     * group's start, and hands each flow to {@code sink}; does not close {@code in}.
     *
     * @return flows read
     * @throws IOException if the bytes are not this format (another operator's raw state, a newer
     *     layout, a truncated stream)
     */
    static int read(InputStream in, int keyGroup, FlowSink sink) throws Exception {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        int magic = data.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format(
                    "raw keyed state of key group %d is not sftap's cached flows (magic %08x, expected %08x)",
                    keyGroup, magic, MAGIC));
        }
        int layout = data.readUnsignedByte();
        if (layout != LAYOUT) {
            throw new IOException("cached flows of key group " + keyGroup + " are in layout " + layout
                    + "; this release reads layout " + LAYOUT);
        }
        int count = VarInts.readUnsigned(data);
        for (int i = 0; i < count; i++) {
            byte[] key = readBytes(data, MAX_KEY_BYTES, "key", keyGroup);
            byte[] state = readBytes(data, EncodedStateCache.MAX_ENTRY_BYTES, "state", keyGroup);
            sink.accept(key, state);
        }
        return count;
    }

    private static byte[] readBytes(DataInputStream data, int max, String what, int keyGroup) throws IOException {
        int length = VarInts.readUnsigned(data);
        if (length < 0 || length > max) {
            throw new IOException("a cached flow's " + what + " in key group " + keyGroup + " claims " + length
                    + " bytes (at most " + max + ")");
        }
        byte[] b = new byte[length];
        data.readFully(b);
        return b;
    }

    /** Counts the bytes that reach the stream below. */
    private static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
