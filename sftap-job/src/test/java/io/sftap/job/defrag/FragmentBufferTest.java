package io.sftap.job.defrag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FragmentBufferTest {

    /** One fragment: data at offset; last is the MF=0 fragment. */
    record Frag(int offset, String data, boolean last) {
        @Override
        public String toString() {
            return offset + ":" + data.length() + (last ? "L" : "");
        }
    }

    static Frag mf(int offset, char c, int len) {
        return new Frag(offset, String.valueOf(c).repeat(len), false);
    }

    static Frag last(int offset, char c, int len) {
        return new Frag(offset, String.valueOf(c).repeat(len), true);
    }

    /**
     * Table: fragments in arrival order, the indices add() must refuse, whether the datagram is
     * complete, and the held bytes rendered with '.' for each byte of a hole.
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("in order",
                        List.of(mf(0, 'A', 8), mf(8, 'B', 8), last(16, 'C', 3)),
                        List.of(), true, "AAAAAAAABBBBBBBBCCC"),
                Arguments.of("reverse order",
                        List.of(last(16, 'C', 3), mf(8, 'B', 8), mf(0, 'A', 8)),
                        List.of(), true, "AAAAAAAABBBBBBBBCCC"),
                Arguments.of("duplicates add nothing",
                        List.of(mf(0, 'A', 8), mf(0, 'X', 8), last(8, 'B', 8), last(8, 'Y', 8)),
                        List.of(), true, "AAAAAAAABBBBBBBB"),
                Arguments.of("overlap at the tail keeps the first copy",
                        List.of(mf(0, 'A', 16), last(8, 'B', 16)),
                        List.of(), true, "AAAAAAAAAAAAAAAABBBBBBBB"),
                Arguments.of("overlap at the head keeps the first copy",
                        List.of(last(8, 'B', 16), mf(0, 'A', 16)),
                        List.of(), true, "AAAAAAAABBBBBBBBBBBBBBBB"),
                Arguments.of("later fragment inside held bytes changes nothing",
                        List.of(mf(0, 'A', 24), mf(8, 'B', 8), last(24, 'C', 1)),
                        List.of(), true, "AAAAAAAAAAAAAAAAAAAAAAAAC"),
                Arguments.of("spanning fragment fills only the holes",
                        List.of(mf(0, 'A', 8), mf(16, 'C', 8), last(0, 'B', 32)),
                        List.of(), true, "AAAAAAAABBBBBBBBCCCCCCCCBBBBBBBB"),
                Arguments.of("hole keeps the datagram incomplete",
                        List.of(mf(0, 'A', 8), last(16, 'C', 8)),
                        List.of(), false, "AAAAAAAA........CCCCCCCC"),
                Arguments.of("no last fragment keeps it incomplete",
                        List.of(mf(0, 'A', 8), mf(8, 'B', 8)),
                        List.of(), false, "AAAAAAAABBBBBBBB"),
                Arguments.of("zero-length middle fragment is harmless",
                        List.of(mf(0, 'A', 8), mf(8, 'Z', 0), last(8, 'B', 8)),
                        List.of(), true, "AAAAAAAABBBBBBBB"),
                Arguments.of("zero-length middle fragment does not fill a hole",
                        List.of(mf(0, 'A', 8), mf(8, 'Z', 0), last(16, 'C', 8)),
                        List.of(), false, "AAAAAAAA........CCCCCCCC"),
                Arguments.of("second last fragment ending elsewhere is refused",
                        List.of(mf(0, 'A', 8), last(8, 'B', 8), last(16, 'C', 8)),
                        List.of(2), true, "AAAAAAAABBBBBBBB"),
                Arguments.of("last fragment ending before held bytes is refused",
                        List.of(mf(0, 'A', 24), last(8, 'B', 8)),
                        List.of(1), false, "AAAAAAAAAAAAAAAAAAAAAAAA"),
                Arguments.of("fragment past the known end is refused",
                        List.of(last(8, 'B', 8), mf(8, 'X', 16), mf(0, 'A', 8)),
                        List.of(1), true, "AAAAAAAABBBBBBBB"),
                Arguments.of("fragment ending exactly at the known end is taken",
                        List.of(last(8, 'B', 8), mf(0, 'A', 16)),
                        List.of(), true, "AAAAAAAABBBBBBBB"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reassemblesFirstCopyWins(
            String name, List<Frag> in, List<Integer> refused, boolean complete, String want) {
        FragmentBuffer buffer = new FragmentBuffer();
        List<Integer> gotRefused = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Frag f = in.get(i);
            if (!buffer.add(f.offset(), f.data().getBytes(StandardCharsets.US_ASCII), f.last())) {
                gotRefused.add(i);
            }
        }
        assertThat(gotRefused).as("refused fragments").isEqualTo(refused);
        assertThat(buffer.fragmentCount()).isEqualTo(in.size() - refused.size());
        assertThat(buffer.isComplete()).isEqualTo(complete);
        assertThat(render(buffer)).isEqualTo(want);
        assertInvariant(buffer);
        if (complete) {
            assertThat(new String(buffer.assemble(), StandardCharsets.US_ASCII)).isEqualTo(want);
        }
    }

    @Test
    void mergesTouchingRangesIntoOne() {
        FragmentBuffer buffer = new FragmentBuffer();
        buffer.add(16, FragmentFixtures.filled(8, 'C'), false);
        buffer.add(0, FragmentFixtures.filled(8, 'A'), false);
        assertThat(buffer.rangeCount()).isEqualTo(2);
        buffer.add(8, FragmentFixtures.filled(8, 'B'), false);
        assertThat(buffer.rangeCount()).isEqualTo(1);
        assertThat(buffer.rangeStart(0)).isZero();
        assertThat(buffer.rangeEnd(0)).isEqualTo(24);
        assertThat(buffer.heldBytes()).isEqualTo(24);
    }

    @Test
    void emptyLastFragmentAtOffsetZeroCompletesAnEmptyDatagram() {
        FragmentBuffer buffer = new FragmentBuffer();
        assertThat(buffer.add(0, new byte[0], true)).isTrue();
        assertThat(buffer.isComplete()).isTrue();
        assertThat(buffer.assemble()).isEmpty();
    }

    @Test
    void resetEmptiesTheBuffer() {
        FragmentBuffer buffer = new FragmentBuffer();
        buffer.add(0, FragmentFixtures.filled(8, 'A'), false);
        buffer.add(8, FragmentFixtures.filled(8, 'B'), true);
        buffer.setUpperProtocol(6);
        buffer.reset();
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.rangeCount()).isZero();
        assertThat(buffer.totalLength()).isEqualTo(FragmentBuffer.UNKNOWN);
        assertThat(buffer.upperProtocol()).isEqualTo(FragmentBuffer.UNKNOWN);
        assertThat(buffer.add(0, FragmentFixtures.filled(4, 'C'), true)).isTrue();
        assertThat(buffer.assemble()).isEqualTo(FragmentFixtures.filled(4, 'C'));
    }

    @Test
    void assembleOfIncompleteDatagramFailsWithItsState() {
        FragmentBuffer buffer = new FragmentBuffer();
        buffer.add(8, FragmentFixtures.filled(8, 'B'), true);
        assertThatThrownBy(buffer::assemble)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[8,16)");
    }

    /** Random fragments against a byte-per-byte model of first copy wins. */
    @Test
    void matchesAByteModelOnRandomFragments() {
        Random random = new Random(20240611L);
        for (int round = 0; round < 500; round++) {
            int total = 8 * (1 + random.nextInt(40));
            byte[] model = new byte[total];
            boolean[] held = new boolean[total];
            FragmentBuffer buffer = new FragmentBuffer();
            boolean lastSent = false;
            for (int n = 0; n < 30; n++) {
                int offset = 8 * random.nextInt(total / 8);
                int len = Math.min(total - offset, 8 * random.nextInt(6));
                boolean last = offset + len == total && random.nextInt(3) == 0;
                byte value = (byte) (n + 1);
                assertThat(buffer.add(offset, FragmentFixtures.filled(len, value), last)).isTrue();
                lastSent |= last;
                for (int i = offset; i < offset + len; i++) {
                    if (!held[i]) {
                        held[i] = true;
                        model[i] = value;
                    }
                }
                assertInvariant(buffer);
            }
            boolean allHeld = true;
            for (boolean h : held) {
                allHeld &= h;
            }
            assertThat(buffer.isComplete()).isEqualTo(lastSent && allHeld);
            for (int r = 0; r < buffer.rangeCount(); r++) {
                int start = buffer.rangeStart(r);
                int end = buffer.rangeEnd(r);
                assertThat(buffer.rangeBytes(r)).isEqualTo(Arrays.copyOfRange(model, start, end));
                for (int i = start; i < end; i++) {
                    assertThat(held[i]).as("byte %d held", i).isTrue();
                }
            }
            assertThat(buffer.heldBytes()).isEqualTo(count(held));
        }
    }

    private static int count(boolean[] held) {
        int n = 0;
        for (boolean h : held) {
            n += h ? 1 : 0;
        }
        return n;
    }

    /** The written invariant of FragmentBuffer's ranges. */
    static void assertInvariant(FragmentBuffer buffer) {
        for (int i = 0; i < buffer.rangeCount(); i++) {
            assertThat(buffer.rangeStart(i)).isGreaterThanOrEqualTo(0);
            assertThat(buffer.rangeStart(i)).isLessThan(buffer.rangeEnd(i));
            if (i + 1 < buffer.rangeCount()) {
                assertThat(buffer.rangeEnd(i)).isLessThan(buffer.rangeStart(i + 1));
            }
        }
        if (buffer.totalLength() != FragmentBuffer.UNKNOWN && buffer.rangeCount() > 0) {
            assertThat(buffer.rangeEnd(buffer.rangeCount() - 1)).isLessThanOrEqualTo(buffer.totalLength());
        }
    }

    /** Held bytes as text, '.' for a hole, up to the total length or the last held byte. */
    static String render(FragmentBuffer buffer) {
        int n = buffer.rangeCount();
        int end = buffer.totalLength() != FragmentBuffer.UNKNOWN
                ? buffer.totalLength()
                : (n == 0 ? 0 : buffer.rangeEnd(n - 1));
        char[] out = new char[end];
        Arrays.fill(out, '.');
        for (int r = 0; r < n; r++) {
            byte[] bytes = buffer.rangeBytes(r);
            for (int i = 0; i < bytes.length; i++) {
                out[buffer.rangeStart(r) + i] = (char) bytes[i];
            }
        }
        return new String(out);
    }
}
