package io.sftap.job.reassembly;

import java.io.DataOutput;
import java.io.IOException;

/** Layout 1 of {@link TcpConnectionCodec} as the first release wrote it: what old savepoints hold. */
public final class TcpConnectionLayoutOne {
    private TcpConnectionLayoutOne() {}

    public static void write(TcpConnection c, DataOutput out) throws IOException {
        out.writeByte(1);
        out.writeByte((c.reset ? 1 : 0) | (c.compromised ? 2 : 0));
        writeHalf(c.endpoint1, out);
        writeHalf(c.endpoint2, out);
    }

    private static void writeHalf(HalfConnection h, DataOutput out) throws IOException {
        out.writeByte((h.based ? 1 : 0) | (h.sawSyn ? 2 : 0) | (h.sawData ? 4 : 0)
                | (h.finSeen ? 8 : 0) | (h.closed ? 16 : 0) | (h.hasAck ? 32 : 0));
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

    private static void writeVarInt(int value, DataOutput out) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }
}
