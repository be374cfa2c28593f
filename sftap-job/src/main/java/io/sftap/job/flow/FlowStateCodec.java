package io.sftap.job.flow;

import io.sftap.job.reassembly.TcpConnectionCodec;
import io.sftap.source.wire.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned binary form of {@link FlowState}: keyed state is a {@code byte[]} written here, so the
 * format (not a Flink serializer snapshot) decides what a savepoint from an older release means.
 * Change the layout only by adding a version and keeping the reader of the old ones.
 *
 * <p>Runs once or twice per TCP packet, so it writes into a per-thread buffer and reads from the
 * array in place (Flink's unsynchronized memory views, byte for byte the {@code java.io.Data*}
 * encoding) instead of allocating streams per call.
 */
public final class FlowStateCodec {
    public static final int CURRENT_VERSION = 1;

    /** Per-thread encode buffer: grows to the largest state seen, reused across calls. */
    private static final ThreadLocal<DataOutputSerializer> BUFFER =
            ThreadLocal.withInitial(() -> new DataOutputSerializer(256));
    /** States larger than this do not keep their buffer (one huge pending flow must not pin memory). */
    private static final int KEPT_BUFFER_BYTES = 1 << 16;

    private FlowStateCodec() {}

    public static byte[] encode(FlowState s) {
        try {
            DataOutputSerializer out = BUFFER.get();
            out.clear();
            out.writeByte(CURRENT_VERSION);
            out.writeLong(s.createdNanos);
            out.writeLong(s.lastSeenNanos);
            out.writeLong(s.timerAt);
            out.writeInt(s.unclassifiedDataEvents);
            out.writeBoolean(s.closed);
            out.writeBoolean(s.classified);
            if (s.classified) {
                out.writeUTF(s.ruleName);
                out.writeUTF(s.iface);
                out.writeUTF(s.socket);
                out.writeBoolean(s.binary);
                out.writeBoolean(s.body);
                out.writeByte(s.upSide.ordinal());
            }
            out.writeInt(s.pending.size());
            for (PendingData d : s.pending) {
                out.writeByte(d.from.ordinal());
                out.writeLong(d.timestampNanos);
                out.writeInt(d.bytes.length);
                out.write(d.bytes);
            }
            out.writeBoolean(s.tcp != null);
            if (s.tcp != null) {
                TcpConnectionCodec.write(s.tcp, out);
            }
            byte[] encoded = out.getCopyOfBuffer();
            if (out.getSharedBuffer().length > KEPT_BUFFER_BYTES) {
                BUFFER.remove();
            }
            return encoded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FlowState decode(byte[] data) {
        try {
            DataInputDeserializer in = new DataInputDeserializer(data);
            int version = in.readUnsignedByte();
            if (version != 1) {
                throw new IOException("flow state version " + version + " is newer than this release reads ("
                        + CURRENT_VERSION + ")");
            }
            FlowState s = new FlowState();
            s.createdNanos = in.readLong();
            s.lastSeenNanos = in.readLong();
            s.timerAt = in.readLong();
            s.unclassifiedDataEvents = in.readInt();
            s.closed = in.readBoolean();
            s.classified = in.readBoolean();
            if (s.classified) {
                s.ruleName = in.readUTF();
                s.iface = in.readUTF();
                s.socket = in.readUTF();
                s.binary = in.readBoolean();
                s.body = in.readBoolean();
                s.upSide = Direction.values()[in.readUnsignedByte()];
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                Direction from = Direction.values()[in.readUnsignedByte()];
                long ts = in.readLong();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                s.addPending(new PendingData(from, ts, b));
            }
            if (in.readBoolean()) {
                s.tcp = TcpConnectionCodec.read(in);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable flow state: " + e.getMessage(), e);
        }
    }
}
