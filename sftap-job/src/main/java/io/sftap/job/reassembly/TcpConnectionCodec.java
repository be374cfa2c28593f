package io.sftap.job.reassembly;

import io.sftap.job.codec.VarInts;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Versioned binary form of {@link TcpConnection} for keyed state and savepoints. Writes layout 2;
 * reads 1 and 2.
 *
 * <p>Layout 1: {@code u8 version, u8 connection flags, half(endpoint 1), half(endpoint 2)}; a half
 * is {@code u8 flags} then, present only when their flag is set, {@code i32 next, i32 isn, i32
 * finSeq, i32 acked}, then {@code varint segmentCount} and per queued segment {@code i32 start,
 * varint length, bytes}. An idle direction costs 2 bytes.
 *
 * <p>Layout 2 (about 40% smaller for an open connection): {@code u8 version, u8 connection flags,
 * u8 flags 1, u8 flags 2}, then {@code i32 next} of each based half, then per half its other
 * sequence numbers ({@code isn}, {@code finSeq}, {@code acked}, which all lie in the half's own
 * sequence space, and queued segments' starts) as zigzag varint deltas from its {@code next}, or
 * as {@code i32} when the half is not based; then segment lengths and bytes as in layout 1.
 * Sequence arithmetic wraps at 2^32, so every delta is exact.
 */
public final class TcpConnectionCodec {
    public static final int CURRENT_VERSION = 2;

    private static final int CONN_RESET = 1;
    private static final int CONN_COMPROMISED = 1 << 1;

    private static final int HALF_BASED = 1;
    private static final int HALF_SAW_SYN = 1 << 1;
    private static final int HALF_SAW_DATA = 1 << 2;
    private static final int HALF_FIN_SEEN = 1 << 3;
    private static final int HALF_CLOSED = 1 << 4;
    private static final int HALF_HAS_ACK = 1 << 5;
    private static final int HALF_KNOWN_FLAGS = (1 << 6) - 1;

    private TcpConnectionCodec() {}

    /** Writes {@code c} in the current layout (2). */
    public static void write(TcpConnection c, DataOutput out) throws IOException {
        out.writeByte(CURRENT_VERSION);
        out.writeByte((c.reset ? CONN_RESET : 0) | (c.compromised ? CONN_COMPROMISED : 0));
        out.writeByte(flags(c.endpoint1));
        out.writeByte(flags(c.endpoint2));
        if (c.endpoint1.based) {
            out.writeInt(c.endpoint1.next.value());
        }
        if (c.endpoint2.based) {
            out.writeInt(c.endpoint2.next.value());
        }
        writeHalfDeltas(c.endpoint1, out);
        writeHalfDeltas(c.endpoint2, out);
    }

    public static TcpConnection read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != 1 && version != 2) {
            throw new IOException(
                    "Unsupported TcpConnection state version "
                            + version
                            + "; this build reads versions 1 and 2");
        }
        TcpConnection c = new TcpConnection();
        int flags = in.readUnsignedByte();
        c.reset = (flags & CONN_RESET) != 0;
        c.compromised = (flags & CONN_COMPROMISED) != 0;
        if (version == 1) {
            readHalfLayoutOne(c.endpoint1, in);
            readHalfLayoutOne(c.endpoint2, in);
        } else {
            setFlags(c.endpoint1, in.readUnsignedByte());
            setFlags(c.endpoint2, in.readUnsignedByte());
            if (c.endpoint1.based) {
                c.endpoint1.next = Sequence.of(in.readInt());
            }
            if (c.endpoint2.based) {
                c.endpoint2.next = Sequence.of(in.readInt());
            }
            readHalfDeltas(c.endpoint1, in);
            readHalfDeltas(c.endpoint2, in);
        }
        return c;
    }

    private static int flags(HalfConnection h) {
        return (h.based ? HALF_BASED : 0)
                | (h.sawSyn ? HALF_SAW_SYN : 0)
                | (h.sawData ? HALF_SAW_DATA : 0)
                | (h.finSeen ? HALF_FIN_SEEN : 0)
                | (h.closed ? HALF_CLOSED : 0)
                | (h.hasAck ? HALF_HAS_ACK : 0);
    }

    private static void setFlags(HalfConnection h, int flags) throws IOException {
        if ((flags & ~HALF_KNOWN_FLAGS) != 0) {
            throw new IOException("Corrupt TcpConnection state: unknown direction flags " + flags);
        }
        h.based = (flags & HALF_BASED) != 0;
        h.sawSyn = (flags & HALF_SAW_SYN) != 0;
        h.sawData = (flags & HALF_SAW_DATA) != 0;
        h.finSeen = (flags & HALF_FIN_SEEN) != 0;
        h.closed = (flags & HALF_CLOSED) != 0;
        h.hasAck = (flags & HALF_HAS_ACK) != 0;
    }

    /** A sequence number as a delta from {@code reference} when the reader has it, else in full. */
    private static void writeSequence(Sequence value, boolean hasReference, Sequence reference, DataOutput out)
            throws IOException {
        if (hasReference) {
            VarInts.writeSigned(value.difference(reference), out);
        } else {
            out.writeInt(value.value());
        }
    }

    private static Sequence readSequence(boolean hasReference, Sequence reference, DataInput in) throws IOException {
        return hasReference ? reference.add(VarInts.readSigned(in)) : Sequence.of(in.readInt());
    }

    private static void writeHalfDeltas(HalfConnection h, DataOutput out) throws IOException {
        if (h.sawSyn) {
            writeSequence(h.isn, h.based, h.next, out);
        }
        if (h.finSeen) {
            writeSequence(h.finSeq, h.based, h.next, out);
        }
        if (h.hasAck) {
            writeSequence(h.acked, h.based, h.next, out);
        }
        VarInts.writeUnsigned(h.queue.segmentCount(), out);
        for (QueuedSegment s : h.queue.segments()) {
            writeSequence(s.start(), h.based, h.next, out);
            VarInts.writeUnsigned(s.data().length, out);
            out.write(s.data());
        }
    }

    private static void readHalfDeltas(HalfConnection h, DataInput in) throws IOException {
        if (h.sawSyn) {
            h.isn = readSequence(h.based, h.next, in);
        }
        if (h.finSeen) {
            h.finSeq = readSequence(h.based, h.next, in);
        }
        if (h.hasAck) {
            h.acked = readSequence(h.based, h.next, in);
        }
        readSegments(h, in, true);
    }

    private static void readHalfLayoutOne(HalfConnection h, DataInput in) throws IOException {
        setFlags(h, in.readUnsignedByte());
        if (h.based) {
            h.next = Sequence.of(in.readInt());
        }
        if (h.sawSyn) {
            h.isn = Sequence.of(in.readInt());
        }
        if (h.finSeen) {
            h.finSeq = Sequence.of(in.readInt());
        }
        if (h.hasAck) {
            h.acked = Sequence.of(in.readInt());
        }
        readSegments(h, in, false);
    }

    /** Reads the queued segments; layout 2 writes their starts as deltas, layout 1 in full. */
    private static void readSegments(HalfConnection h, DataInput in, boolean deltas) throws IOException {
        int count = readVarInt(in);
        for (int i = 0; i < count; i++) {
            Sequence start = deltas ? readSequence(h.based, h.next, in) : Sequence.of(in.readInt());
            int length = readVarInt(in);
            if (length <= 0) {
                throw new IOException(
                        "Corrupt TcpConnection state: queued segment of " + length + " bytes");
            }
            byte[] data = new byte[length];
            in.readFully(data);
            h.queue.append(new QueuedSegment(start, data));
        }
    }

    private static int readVarInt(DataInput in) throws IOException {
        int value = VarInts.readUnsigned(in);
        if (value < 0) {
            throw new IOException("Corrupt TcpConnection state: negative count or length");
        }
        return value;
    }
}
