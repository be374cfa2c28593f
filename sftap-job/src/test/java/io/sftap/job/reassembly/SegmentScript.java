package io.sftap.job.reassembly;

import io.sftap.source.wire.Direction;
import io.sftap.source.wire.TcpFlags;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Test vocabulary: segments written as {@code c("PA", seq, ack, "data")} and a recording listener.
 */
final class SegmentScript {
    private SegmentScript() {}

    /** One segment as the capture shows it; {@code wireLength} > payload length if truncated. */
    record Seg(Direction from, int flags, int seq, int ack, byte[] payload, int wireLength) {
        Seg(Direction from, int flags, int seq, int ack, byte[] payload) {
            this(from, flags, seq, ack, payload, payload.length);
        }

        /** This segment as a capture truncated to its first captured bytes would show it. */
        Seg onWire(int length) {
            return new Seg(from, flags, seq, ack, payload, length);
        }

        @Override
        public String toString() {
            return (from == Direction.FROM_ENDPOINT1 ? "c" : "s")
                    + " "
                    + TcpFlags.toString(flags)
                    + " seq="
                    + Integer.toUnsignedString(seq)
                    + " len="
                    + payload.length;
        }
    }

    /** A segment from endpoint 1 (the client in these tests). */
    static Seg c(String flags, long seq, long ack, String data) {
        return seg(Direction.FROM_ENDPOINT1, flags, seq, ack, data);
    }

    /** A segment from endpoint 2 (the server in these tests). */
    static Seg s(String flags, long seq, long ack, String data) {
        return seg(Direction.FROM_ENDPOINT2, flags, seq, ack, data);
    }

    static Seg seg(Direction from, String flags, long seq, long ack, String data) {
        return new Seg(
                from,
                flags(flags),
                (int) seq,
                (int) ack,
                data.getBytes(StandardCharsets.ISO_8859_1));
    }

    static int flags(String letters) {
        int f = 0;
        for (char ch : letters.toCharArray()) {
            switch (ch) {
                case 'S' -> f |= TcpFlags.SYN;
                case 'A' -> f |= TcpFlags.ACK;
                case 'F' -> f |= TcpFlags.FIN;
                case 'R' -> f |= TcpFlags.RST;
                case 'P' -> f |= TcpFlags.PSH;
                default -> throw new IllegalArgumentException("flag letter " + ch);
            }
        }
        return f;
    }

    /** Feeds the segments in order; returns the status after the last one. */
    static TcpStatus feed(
            TcpReassembler reassembler, TcpConnection conn, List<Seg> segments, StreamListener l) {
        TcpStatus status = conn.status();
        long ts = 0;
        for (Seg seg : segments) {
            status =
                    reassembler.accept(
                            conn,
                            seg.from(),
                            seg.seq(),
                            seg.ack(),
                            seg.flags(),
                            seg.payload(),
                            seg.wireLength(),
                            ts++,
                            l);
        }
        return status;
    }

    /** Records each direction's stream as text; a gap shows as {@code [gap N]}. */
    static final class Recorder implements StreamListener {
        private final Map<Direction, StringBuilder> streams = new EnumMap<>(Direction.class);
        int dataCalls;

        @Override
        public void onData(Direction from, byte[] bytes, long timestampNanos) {
            dataCalls++;
            stream(from).append(new String(bytes, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void onGap(Direction from, long length) {
            stream(from).append("[gap ").append(length).append(']');
        }

        String of(Direction from) {
            return stream(from).toString();
        }

        private StringBuilder stream(Direction from) {
            return streams.computeIfAbsent(from, d -> new StringBuilder());
        }
    }
}
