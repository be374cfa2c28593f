package io.sftap.job.flow;

import io.sftap.job.codec.VarInts;
import io.sftap.job.reassembly.TcpConnectionCodec;
import io.sftap.source.wire.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned binary form of {@link FlowState}: keyed state is a {@code byte[]} written here, so the
 * format (not a Flink serializer snapshot) decides what a savepoint from an older release means.
 * Change the layout only by adding a version and keeping the reader of the old ones. Writes layout
 * 2; reads 1 and 2.
 *
 * <p>Layout 1 is fixed-width: {@code u8 1, i64 created, i64 lastSeen, i64 timerAt, i32
 * unclassifiedDataEvents, bool closed, bool classified}, when classified {@code utf ruleName, utf
 * iface, utf socket, bool binary, bool body, u8 upSide}, then {@code i32 pendingCount} and per
 * pending chunk {@code u8 from, i64 timestamp, i32 length, bytes}, then {@code bool hasTcp} and
 * the connection ({@link TcpConnectionCodec}). About 90 bytes for an open HTTP flow.
 *
 * <p>Layout 2 writes what is usually absent as a flag and the rest as deltas (about half the
 * bytes, so half the bytes RocksDB flushes and compacts per state write): {@code u8 2, u8 flags,
 * i64 created, zigzag varlong (lastSeen - created)}, when a timer is set {@code zigzag varlong
 * (timerAt - lastSeen in ms)}, when non-zero {@code varint unclassifiedDataEvents}, when classified
 * {@code u8 routing flags} (binary, body, upSide, the rule named as its interface, the socket
 * spelled {@code <folder>/<iface><suffix>}) and the strings those flags do not imply (varint
 * length and UTF-8), when pending {@code varint count} and per chunk {@code u8 from, zigzag
 * varlong (timestamp - created), varint length, bytes}, when there is a connection, the connection.
 *
 * <p>Runs once or twice per TCP packet, so it writes into a per-thread buffer and reads from the
 * array in place (Flink's unsynchronized memory views) instead of allocating streams per call.
 */
public final class FlowStateCodec {
    public static final int CURRENT_VERSION = 2;

    private static final int CLOSED = 1;
    private static final int CLASSIFIED = 1 << 1;
    private static final int HAS_TCP = 1 << 2;
    private static final int HAS_TIMER = 1 << 3;
    private static final int HAS_PENDING = 1 << 4;
    private static final int HAS_UNCLASSIFIED_EVENTS = 1 << 5;
    private static final int KNOWN_FLAGS = (1 << 6) - 1;

    private static final int BINARY = 1;
    private static final int BODY = 1 << 1;
    private static final int UP_SIDE_SHIFT = 2; // two bits: Direction ordinal
    private static final int RULE_IS_IFACE = 1 << 4;
    private static final int SOCKET_OF_IFACE = 1 << 5;
    private static final int KNOWN_ROUTING = (1 << 6) - 1;

    /** Longest routing string read back (layout 1's writeUTF had the same bound). */
    private static final int MAX_STRING_BYTES = 65535;

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
            int flags = (s.closed ? CLOSED : 0)
                    | (s.classified ? CLASSIFIED : 0)
                    | (s.tcp != null ? HAS_TCP : 0)
                    | (s.timerAt != Long.MIN_VALUE ? HAS_TIMER : 0)
                    | (!s.pending.isEmpty() ? HAS_PENDING : 0)
                    | (s.unclassifiedDataEvents != 0 ? HAS_UNCLASSIFIED_EVENTS : 0);
            out.writeByte(flags);
            out.writeLong(s.createdNanos);
            VarInts.writeSignedLong(s.lastSeenNanos - s.createdNanos, out);
            if ((flags & HAS_TIMER) != 0) {
                VarInts.writeSignedLong(s.timerAt - Math.floorDiv(s.lastSeenNanos, 1_000_000L), out);
            }
            if ((flags & HAS_UNCLASSIFIED_EVENTS) != 0) {
                VarInts.writeUnsigned(s.unclassifiedDataEvents, out);
            }
            if (s.classified) {
                writeRouting(s, out);
            }
            if ((flags & HAS_PENDING) != 0) {
                VarInts.writeUnsigned(s.pending.size(), out);
                for (PendingData d : s.pending) {
                    out.writeByte(d.from.ordinal());
                    VarInts.writeSignedLong(d.timestampNanos - s.createdNanos, out);
                    VarInts.writeUnsigned(d.bytes.length, out);
                    out.write(d.bytes);
                }
            }
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

    /** Rule, interface and socket: the interface's name once, the others only where they differ. */
    private static void writeRouting(FlowState s, DataOutputSerializer out) throws IOException {
        int folderEnd = s.socket.lastIndexOf('/') + 1;
        boolean socketOfIface = s.socket.startsWith(s.iface, folderEnd);
        boolean ruleIsIface = s.ruleName.equals(s.iface);
        out.writeByte((s.binary ? BINARY : 0)
                | (s.body ? BODY : 0)
                | (s.upSide.ordinal() << UP_SIDE_SHIFT)
                | (ruleIsIface ? RULE_IS_IFACE : 0)
                | (socketOfIface ? SOCKET_OF_IFACE : 0));
        VarInts.writeString(s.iface, out);
        if (!ruleIsIface) {
            VarInts.writeString(s.ruleName, out);
        }
        if (socketOfIface) {
            VarInts.writeString(s.socket, 0, folderEnd, out);
            VarInts.writeString(s.socket, folderEnd + s.iface.length(), s.socket.length(), out);
        } else {
            VarInts.writeString(s.socket, out);
        }
    }

    public static FlowState decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /** Decodes the state in {@code data[offset, offset + length)}. */
    public static FlowState decode(byte[] data, int offset, int length) {
        try {
            DataInputDeserializer in = new DataInputDeserializer(data, offset, length);
            int version = in.readUnsignedByte();
            if (version == 1) {
                return decodeLayoutOne(in);
            }
            if (version != 2) {
                throw new IOException("flow state version " + version + " is newer than this release reads ("
                        + CURRENT_VERSION + ")");
            }
            return decodeLayoutTwo(in);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable flow state: " + e.getMessage(), e);
        }
    }

    private static FlowState decodeLayoutTwo(DataInputDeserializer in) throws IOException {
        int flags = in.readUnsignedByte();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new IOException("unknown flow state flags " + flags);
        }
        FlowState s = new FlowState();
        s.closed = (flags & CLOSED) != 0;
        s.classified = (flags & CLASSIFIED) != 0;
        s.createdNanos = in.readLong();
        s.lastSeenNanos = s.createdNanos + VarInts.readSignedLong(in);
        if ((flags & HAS_TIMER) != 0) {
            s.timerAt = Math.floorDiv(s.lastSeenNanos, 1_000_000L) + VarInts.readSignedLong(in);
        }
        if ((flags & HAS_UNCLASSIFIED_EVENTS) != 0) {
            s.unclassifiedDataEvents = VarInts.readUnsigned(in);
        }
        if (s.classified) {
            readRouting(s, in);
        }
        if ((flags & HAS_PENDING) != 0) {
            int n = VarInts.readUnsigned(in);
            for (int i = 0; i < n; i++) {
                Direction from = direction(in.readUnsignedByte());
                long ts = s.createdNanos + VarInts.readSignedLong(in);
                int length = VarInts.readUnsigned(in);
                if (length < 0 || length > in.available()) {
                    throw new IOException("pending chunk of " + Integer.toUnsignedString(length) + " bytes");
                }
                byte[] b = new byte[length];
                in.readFully(b);
                s.addPending(new PendingData(from, ts, b));
            }
        }
        if ((flags & HAS_TCP) != 0) {
            s.tcp = TcpConnectionCodec.read(in);
        }
        return s;
    }

    private static void readRouting(FlowState s, DataInputDeserializer in) throws IOException {
        int routing = in.readUnsignedByte();
        if ((routing & ~KNOWN_ROUTING) != 0) {
            throw new IOException("unknown routing flags " + routing);
        }
        s.binary = (routing & BINARY) != 0;
        s.body = (routing & BODY) != 0;
        s.upSide = direction((routing >>> UP_SIDE_SHIFT) & 3);
        s.iface = VarInts.readString(in, MAX_STRING_BYTES);
        s.ruleName = (routing & RULE_IS_IFACE) != 0 ? s.iface : VarInts.readString(in, MAX_STRING_BYTES);
        if ((routing & SOCKET_OF_IFACE) != 0) {
            String folder = VarInts.readString(in, MAX_STRING_BYTES);
            s.socket = folder + s.iface + VarInts.readString(in, MAX_STRING_BYTES);
        } else {
            s.socket = VarInts.readString(in, MAX_STRING_BYTES);
        }
    }

    private static Direction direction(int ordinal) throws IOException {
        Direction[] all = Direction.values();
        if (ordinal >= all.length) {
            throw new IOException("unknown direction " + ordinal);
        }
        return all[ordinal];
    }

    private static FlowState decodeLayoutOne(DataInputDeserializer in) throws IOException {
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
            s.upSide = direction(in.readUnsignedByte());
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Direction from = direction(in.readUnsignedByte());
            long ts = in.readLong();
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            s.addPending(new PendingData(from, ts, b));
        }
        if (in.readBoolean()) {
            s.tcp = TcpConnectionCodec.read(in);
        }
        return s;
    }
}
