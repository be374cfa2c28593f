package io.sftap.job.flow;

import io.sftap.job.codec.VarInts;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
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
    /**
     * How many flows ahead the writer reads an entry's length: the flows of a key group lie apart
     * in the heap (their arrays move as states change size), one or two cache misses each, and
     * reading ahead lets those misses overlap the copying of earlier flows instead of following it.
     */
    static final int LOOK_AHEAD = 8;
    /** Where the writer leaves the sum of the lengths it read ahead, so the reads stay. */
    static long readAhead;

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
        // One chunk buffer and hand-made varints: through DataOutputStream the per-call overhead
        // took as long as the copying (2.2 s for 10M flows, most of a checkpoint's synchronous part).
        ChunkWriter w = new ChunkWriter(out);
        for (int g = 0; g < flows.keyGroups(); g++) {
            w.flush(); // the group's offset is the stream's position: nothing may wait in the buffer
            starter.start(flows.firstKeyGroup() + g);
            int count = flows.count(g);
            w.room(10);
            w.putInt(MAGIC);
            w.putByte(LAYOUT);
            w.putVarint(count);
            for (int i = 0; i < count; i++) {
                if (i + LOOK_AHEAD < count) {
                    w.touched += flows.entry(g, i + LOOK_AHEAD).length; // see LOOK_AHEAD
                }
                byte[] entry = flows.entry(g, i);
                int keyLength = flows.keyLength(g, i);
                w.room(entry.length + 10);
                w.putVarint(keyLength);
                w.putBytes(entry, 0, keyLength);
                w.putVarint(entry.length - keyLength);
                w.putBytes(entry, keyLength, entry.length - keyLength);
            }
        }
        w.flush();
        readAhead = w.touched;
        return w.written;
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
            byte[] key = readBytes(data, EncodedFlowTable.MAX_KEY_BYTES, "key", keyGroup);
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

    /** Fills a chunk and writes it to the stream below when the next item would not fit. */
    private static final class ChunkWriter {
        private final OutputStream out;
        private final byte[] chunk = new byte[1 << 20];
        private int pos;
        long written;
        /** Sum of the lengths read ahead (see {@link #readAhead}). */
        long touched;

        ChunkWriter(OutputStream out) {
            this.out = out;
        }

        /** Makes room for {@code bytes} (at most the chunk's size; states are far smaller). */
        void room(int bytes) throws IOException {
            if (pos + bytes > chunk.length) {
                flush();
            }
        }

        void flush() throws IOException {
            if (pos > 0) {
                out.write(chunk, 0, pos);
                written += pos;
                pos = 0;
            }
            out.flush();
        }

        void putInt(int v) {
            chunk[pos++] = (byte) (v >>> 24);
            chunk[pos++] = (byte) (v >>> 16);
            chunk[pos++] = (byte) (v >>> 8);
            chunk[pos++] = (byte) v;
        }

        void putByte(int v) {
            chunk[pos++] = (byte) v;
        }

        void putVarint(int v) {
            pos = VarInts.writeUnsigned(v, chunk, pos);
        }

        void putBytes(byte[] b, int from, int length) {
            System.arraycopy(b, from, chunk, pos, length);
            pos += length;
        }
    }
}
