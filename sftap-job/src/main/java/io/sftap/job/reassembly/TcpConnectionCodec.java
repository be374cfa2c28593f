package io.sftap.job.reassembly;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Versioned binary form of {@link TcpConnection} for keyed state and savepoints.
 *
 * <p>Version 1: {@code u8 version, u8 connection flags, half(endpoint 1), half(endpoint 2)}; a half
 * is {@code u8 flags} then, present only when their flag is set, {@code i32 next, i32 isn, i32
 * finSeq, i32 acked}, then {@code varint segmentCount} and per queued segment {@code i32 start,
 * varint length, bytes}. An idle direction costs 2 bytes.
 */
public final class TcpConnectionCodec {
    public static final int CURRENT_VERSION = 1;

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

    public static void write(TcpConnection c, DataOutput out) throws IOException {
        out.writeByte(CURRENT_VERSION);
        out.writeByte((c.reset ? CONN_RESET : 0) | (c.compromised ? CONN_COMPROMISED : 0));
        writeHalf(c.endpoint1, out);
        writeHalf(c.endpoint2, out);
    }

    public static TcpConnection read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != CURRENT_VERSION) {
            throw new IOException(
                    "Unsupported TcpConnection state version "
                            + version
                            + "; this build reads version "
                            + CURRENT_VERSION);
        }
        TcpConnection c = new TcpConnection();
        int flags = in.readUnsignedByte();
        c.reset = (flags & CONN_RESET) != 0;
        c.compromised = (flags & CONN_COMPROMISED) != 0;
        readHalf(c.endpoint1, in);
        readHalf(c.endpoint2, in);
        return c;
    }

    private static void writeHalf(HalfConnection h, DataOutput out) throws IOException {
        int flags =
                (h.based ? HALF_BASED : 0)
                        | (h.sawSyn ? HALF_SAW_SYN : 0)
                        | (h.sawData ? HALF_SAW_DATA : 0)
                        | (h.finSeen ? HALF_FIN_SEEN : 0)
                        | (h.closed ? HALF_CLOSED : 0)
                        | (h.hasAck ? HALF_HAS_ACK : 0);
        out.writeByte(flags);
        if (h.based) {
            out.writeInt(h.next.value());
        }
        if (h.sawSyn) {
            out.writeInt(h.isn.value());
        }
        if (h.finSeen) {
            out.writeInt(h.finSeq.value());
        }
        if (h.hasAck) {
            out.writeInt(h.acked.value());
        }
        writeVarInt(h.queue.segmentCount(), out);
        for (QueuedSegment s : h.queue.segments()) {
            out.writeInt(s.start().value());
            writeVarInt(s.data().length, out);
            out.write(s.data());
        }
    }

    private static void readHalf(HalfConnection h, DataInput in) throws IOException {
        int flags = in.readUnsignedByte();
        if ((flags & ~HALF_KNOWN_FLAGS) != 0) {
            throw new IOException("Corrupt TcpConnection state: unknown direction flags " + flags);
        }
        h.based = (flags & HALF_BASED) != 0;
        h.sawSyn = (flags & HALF_SAW_SYN) != 0;
        h.sawData = (flags & HALF_SAW_DATA) != 0;
        h.finSeen = (flags & HALF_FIN_SEEN) != 0;
        h.closed = (flags & HALF_CLOSED) != 0;
        h.hasAck = (flags & HALF_HAS_ACK) != 0;
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
        int count = readVarInt(in);
        for (int i = 0; i < count; i++) {
            Sequence start = Sequence.of(in.readInt());
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

    private static void writeVarInt(int value, DataOutput out) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private static int readVarInt(DataInput in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IOException("Corrupt TcpConnection state: negative length");
                }
                return value;
            }
        }
        throw new IOException("Corrupt TcpConnection state: varint longer than 5 bytes");
    }
}
