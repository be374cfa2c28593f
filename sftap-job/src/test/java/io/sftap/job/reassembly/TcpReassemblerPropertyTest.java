package io.sftap.job.reassembly;

import static io.sftap.source.wire.Direction.FROM_ENDPOINT1;
import static io.sftap.source.wire.Direction.FROM_ENDPOINT2;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.reassembly.SegmentScript.Seg;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.TcpFlags;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random segmentation, shuffling and duplication (with different segment boundaries) of random byte
 * streams without holes always reassemble to the original bytes.
 */
class TcpReassemblerPropertyTest {
    private static final int RUNS = 500;

    @Test
    void reassemblesShuffledDuplicatedSegmentsToOriginalBytes() {
        for (int run = 0; run < RUNS; run++) {
            long seed = 0x5f7a9L * 1_000_003L + run;
            Random rnd = new Random(seed);
            int isn1 = randomIsn(rnd);
            int isn2 = randomIsn(rnd);
            byte[] stream1 = randomBytes(rnd);
            byte[] stream2 = randomBytes(rnd);

            List<Seg> data = new ArrayList<>();
            data.addAll(segments(rnd, FROM_ENDPOINT1, isn1 + 1, isn2 + 1, stream1));
            data.addAll(segments(rnd, FROM_ENDPOINT2, isn2 + 1, isn1 + 1, stream2));
            Collections.shuffle(data, rnd);

            List<Seg> capture = new ArrayList<>();
            capture.add(new Seg(FROM_ENDPOINT1, TcpFlags.SYN, isn1, 0, new byte[0]));
            capture.add(
                    new Seg(
                            FROM_ENDPOINT2,
                            TcpFlags.SYN | TcpFlags.ACK,
                            isn2,
                            isn1 + 1,
                            new byte[0]));
            capture.addAll(data);

            TcpReassembler reassembler = new TcpReassembler(ReassemblyLimits.defaults());
            TcpConnection conn = new TcpConnection();
            BytesRecorder out = new BytesRecorder();
            TcpStatus status = SegmentScript.feed(reassembler, conn, capture, out);
            reassembler.finish(conn, 0, out);

            String context = "seed " + seed + ", isn1 " + Integer.toUnsignedString(isn1);
            assertThat(out.gaps).as(context).isZero();
            assertThat(out.bytes(FROM_ENDPOINT1)).as(context).isEqualTo(stream1);
            assertThat(out.bytes(FROM_ENDPOINT2)).as(context).isEqualTo(stream2);
            assertThat(status).as(context).isEqualTo(TcpStatus.CLOSED);
        }
    }

    /** Sometimes just below 2^32 so the stream wraps. */
    private static int randomIsn(Random rnd) {
        return rnd.nextBoolean() ? -1 - rnd.nextInt(4000) : rnd.nextInt();
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(4000)];
        rnd.nextBytes(b);
        return b;
    }

    /**
     * The stream cut at random, plus duplicates of random ranges, plus a FIN (sometimes carried by
     * the last data segment). Acks stay at the peer's first byte so no hole is ever skipped.
     */
    private static List<Seg> segments(
            Random rnd, Direction from, int first, int peerFirst, byte[] stream) {
        List<Seg> out = new ArrayList<>();
        int ackFlags = TcpFlags.ACK | TcpFlags.PSH;
        int at = 0;
        boolean finOnData = rnd.nextBoolean() && stream.length > 0;
        while (at < stream.length) {
            int len = Math.min(stream.length - at, 1 + rnd.nextInt(300));
            boolean last = at + len == stream.length;
            int flags = last && finOnData ? ackFlags | TcpFlags.FIN : ackFlags;
            out.add(
                    new Seg(
                            from,
                            flags,
                            first + at,
                            peerFirst,
                            Arrays.copyOfRange(stream, at, at + len)));
            at += len;
        }
        int duplicates = stream.length == 0 ? 0 : rnd.nextInt(10);
        for (int i = 0; i < duplicates; i++) {
            int start = rnd.nextInt(stream.length);
            int len = 1 + rnd.nextInt(Math.min(600, stream.length - start));
            out.add(
                    new Seg(
                            from,
                            ackFlags,
                            first + start,
                            peerFirst,
                            Arrays.copyOfRange(stream, start, start + len)));
        }
        if (!finOnData) {
            out.add(
                    new Seg(
                            from,
                            TcpFlags.FIN | TcpFlags.ACK,
                            first + stream.length,
                            peerFirst,
                            new byte[0]));
        }
        return out;
    }

    private static final class BytesRecorder implements StreamListener {
        private final Map<Direction, ByteArrayOutputStream> streams =
                new EnumMap<>(Direction.class);
        int gaps;

        @Override
        public void onData(Direction from, byte[] bytes, long timestampNanos) {
            streams.computeIfAbsent(from, d -> new ByteArrayOutputStream()).writeBytes(bytes);
        }

        @Override
        public void onGap(Direction from, long length) {
            gaps++;
        }

        byte[] bytes(Direction from) {
            ByteArrayOutputStream s = streams.get(from);
            return s == null ? new byte[0] : s.toByteArray();
        }
    }
}
