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
     * Helper threads that encode a large snapshot while the task thread writes it: the task
     * thread's writes then overlap the encoding instead of following it.
     */
    static final int ENCODERS = Runtime.getRuntime().availableProcessors() > 1 ? 2 : 0;
    /** Fewer flows than this are encoded by the task thread alone (a thread start is not worth it). */
    static final int PARALLEL_MIN_FLOWS = 1 << 16;

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
     * with everything before it already in {@code out}; {@code out} is flushed, not closed. Large
     * snapshots are encoded by {@link #ENCODERS} helper threads while this thread writes (see
     * {@link ParallelGroupEncoding}); the bytes are the same either way.
     *
     * @return bytes written
     */
    static long write(EncodedStateCache.DirtyFlows flows, OutputStream out, KeyGroupStarter starter) throws IOException {
        return write(flows, out, starter, flows.total() >= PARALLEL_MIN_FLOWS ? ENCODERS : 0);
    }

    /** As {@link #write(EncodedStateCache.DirtyFlows, OutputStream, KeyGroupStarter)} with {@code encoders} helper threads, 0 for none. */
    static long write(EncodedStateCache.DirtyFlows flows, OutputStream out, KeyGroupStarter starter, int encoders)
            throws IOException {
        if (encoders > 0) {
            return new ParallelGroupEncoding(flows, encoders).writeTo(out, starter);
        }
        GroupEncoder encoder = new GroupEncoder(flows, new StreamTarget(out, starter));
        for (int g = 0; g < flows.keyGroups(); g++) {
            encoder.encode(g);
        }
        out.flush();
        return encoder.written;
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

    /** Takes the chunks a {@link GroupEncoder} fills. */
    interface ChunkTarget {
        /**
         * Takes {@code chunk[0, length)}, which begins key group {@code startsGroup} (or continues
         * the current one when negative) and ends it when {@code endsGroup}.
         *
         * @return the array to fill next (the same one when its bytes were copied out)
         */
        byte[] take(byte[] chunk, int length, int startsGroup, boolean endsGroup) throws IOException;
    }

    /**
     * Writes chunks straight to the snapshot stream, marking each group's start; it copies the
     * bytes out, so the chunk is free again on return (also {@link ParallelGroupEncoding}'s writer).
     */
    static final class StreamTarget implements ChunkTarget {
        private final OutputStream out;
        private final KeyGroupStarter starter;

        StreamTarget(OutputStream out, KeyGroupStarter starter) {
            this.out = out;
            this.starter = starter;
        }

        @Override
        public byte[] take(byte[] chunk, int length, int startsGroup, boolean endsGroup) throws IOException {
            if (startsGroup >= 0) {
                out.flush(); // the group's offset is the stream's position: nothing may wait in a buffer
                starter.start(startsGroup);
            }
            out.write(chunk, 0, length);
            return chunk;
        }
    }

    /**
     * Encodes whole key groups into chunks for a {@link ChunkTarget}: a group's bytes never share a
     * chunk with another group's, so groups can be encoded apart and written in order. Chunks and
     * hand-made varints: through DataOutputStream the per-call overhead took as long as the copying
     * (2.2 s for 10M flows).
     */
    static final class GroupEncoder {
        /** Chunk size: far above the largest entry ({@link EncodedStateCache#MAX_ENTRY_BYTES}). */
        static final int CHUNK_BYTES = 1 << 20;

        private final EncodedStateCache.DirtyFlows flows;
        private final ChunkTarget target;
        private byte[] chunk = new byte[CHUNK_BYTES];
        private int pos;
        private int startsGroup = -1;
        private int flowsPut;
        long written;

        GroupEncoder(EncodedStateCache.DirtyFlows flows, ChunkTarget target) {
            this.flows = flows;
            this.target = target;
        }

        /** Encodes group {@code g} (counted from the first) and hands its last chunk over. */
        void encode(int g) throws IOException {
            startsGroup = flows.firstKeyGroup() + g;
            room(10);
            putInt(MAGIC);
            putByte(LAYOUT);
            int count = flows.count(g);
            putVarint(count);
            flowsPut = 0;
            flows.forEach(g, this::putFlow);
            if (flowsPut != count) { // the reader would take the next group's bytes for flows of this one
                throw new IllegalStateException("key group " + startsGroup + " counted " + count
                        + " changed flows but holds " + flowsPut);
            }
            handOver(true);
        }

        private void putFlow(byte[] page, int keyOffset, int keyLength, int stateOffset, int stateLength)
                throws IOException {
            flowsPut++;
            room(keyLength + stateLength + 10);
            putVarint(keyLength);
            putBytes(page, keyOffset, keyLength);
            putVarint(stateLength);
            putBytes(page, stateOffset, stateLength);
        }

        private void handOver(boolean endsGroup) throws IOException {
            chunk = target.take(chunk, pos, startsGroup, endsGroup);
            written += pos;
            pos = 0;
            startsGroup = -1;
        }

        /** Makes room for {@code bytes} (at most the chunk's size; states are far smaller). */
        private void room(int bytes) throws IOException {
            if (pos + bytes > chunk.length) {
                handOver(false);
            }
        }

        private void putInt(int v) {
            chunk[pos++] = (byte) (v >>> 24);
            chunk[pos++] = (byte) (v >>> 16);
            chunk[pos++] = (byte) (v >>> 8);
            chunk[pos++] = (byte) v;
        }

        private void putByte(int v) {
            chunk[pos++] = (byte) v;
        }

        private void putVarint(int v) {
            pos = VarInts.writeUnsigned(v, chunk, pos);
        }

        private void putBytes(byte[] b, int from, int length) {
            System.arraycopy(b, from, chunk, pos, length);
            pos += length;
        }
    }
}
