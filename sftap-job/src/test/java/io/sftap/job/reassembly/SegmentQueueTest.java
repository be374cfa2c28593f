package io.sftap.job.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

class SegmentQueueTest {

    private static void insert(SegmentQueue q, int start, String data) {
        byte[] b = data.getBytes(StandardCharsets.ISO_8859_1);
        q.insert(Sequence.of(start), b, 0, b.length);
    }

    private static String render(SegmentQueue q) {
        StringBuilder sb = new StringBuilder();
        for (QueuedSegment s : q.segments()) {
            sb.append(Integer.toUnsignedString(s.start().value()))
                    .append(':')
                    .append(new String(s.data(), StandardCharsets.ISO_8859_1))
                    .append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void keepsFirstCopyAndAddsOnlyUncoveredPieces() {
        SegmentQueue q = new SegmentQueue();
        insert(q, 20, "CD");
        insert(q, 30, "MN");
        insert(q, 18, "abcdefghijklmnop");

        assertThat(render(q)).isEqualTo("18:ab 20:CD 22:efghijkl 30:MN 32:op");
        assertThat(q.bytes()).isEqualTo(16);
        assertThat(q.segmentCount()).isEqualTo(5);
    }

    @Test
    void ignoresSegmentFullyCovered() {
        SegmentQueue q = new SegmentQueue();
        insert(q, 10, "abcdef");
        insert(q, 11, "XYZ");

        assertThat(render(q)).isEqualTo("10:abcdef");
    }

    @Test
    void ordersAcrossWrapAround() {
        SegmentQueue q = new SegmentQueue();
        insert(q, 2, "cd");
        insert(q, 0xFFFFFFFE, "ab");

        assertThat(render(q)).isEqualTo("4294967294:ab 2:cd");
    }

    @Test
    void truncateDropsBytesAtAndAfterLimit() {
        SegmentQueue q = new SegmentQueue();
        insert(q, 10, "abcd");
        insert(q, 20, "efgh");
        q.truncateAt(Sequence.of(12));

        assertThat(render(q)).isEqualTo("10:ab");
        assertThat(q.bytes()).isEqualTo(2);
    }

    @Test
    void emptyQueueHoldsNoList() {
        SegmentQueue q = new SegmentQueue();
        insert(q, 1, "x");
        q.removeFirst();

        assertThat(q.isEmpty()).isTrue();
        assertThat(q.bytes()).isZero();
    }
}
