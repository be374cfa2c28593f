package io.sftap.job.defrag;

import static io.sftap.job.defrag.FragmentFixtures.T0;
import static io.sftap.job.defrag.FragmentFixtures.at;
import static io.sftap.job.defrag.FragmentFixtures.fragment;
import static io.sftap.job.defrag.FragmentFixtures.slice;
import static io.sftap.job.defrag.FragmentFixtures.v4;
import static io.sftap.job.defrag.FragmentFixtures.v6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.job.defrag.DefragOutcome.Status;
import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.IpProtocols;
import io.sftap.source.wire.Packet;
import io.sftap.source.wire.TcpFlags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DefragmenterTest {
    private static final long SECOND = 1_000_000_000L;

    private final Defragmenter defragmenter = new Defragmenter(DefragLimits.defaults());

    /** Feeds all fragments into one buffer; returns the outcome of each. */
    private static List<DefragOutcome> feed(Defragmenter d, FragmentBuffer buffer, List<Packet> fragments) {
        List<DefragOutcome> outcomes = new ArrayList<>();
        for (Packet p : fragments) {
            outcomes.add(d.accept(buffer, p));
        }
        return outcomes;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    static Stream<Arguments> simpleOrders() {
        return Stream.of(
                Arguments.of("v4 in order", 4, new int[] {0, 1, 2}),
                Arguments.of("v4 reverse order", 4, new int[] {2, 1, 0}),
                Arguments.of("v4 middle last", 4, new int[] {0, 2, 1}),
                Arguments.of("v6 in order", 6, new int[] {0, 1, 2}),
                Arguments.of("v6 reverse order", 6, new int[] {2, 1, 0}));
    }

    /** Suricata's DefragInOrderSimpleTest / DefragReverseSimpleTest and their IPv6 twins. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("simpleOrders")
    void reassemblesThreeFragmentsInAnyOrder(String name, int version, int[] order) {
        IntFunction<Packet> make = i -> switch (i) {
            case 0 -> build(version, 12, 0, true, 'A', 8);
            case 1 -> build(version, 12, 8, true, 'B', 8);
            default -> build(version, 12, 16, false, 'C', 3);
        };
        FragmentBuffer buffer = new FragmentBuffer();
        List<DefragOutcome> outcomes = new ArrayList<>();
        for (int k = 0; k < order.length; k++) {
            outcomes.add(defragmenter.accept(buffer, at(make.apply(order[k]), T0 + k)));
        }
        assertThat(outcomes.subList(0, 2)).extracting(DefragOutcome::status)
                .containsOnly(Status.PENDING);
        Packet whole = outcomes.get(2).datagram();
        assertThat(outcomes.get(2).status()).isEqualTo(Status.COMPLETED);
        assertThat(text(whole.payload)).isEqualTo("AAAAAAAABBBBBBBBCCC");
        assertThat(whole.fragment).isFalse();
        assertThat(whole.ipVersion).isEqualTo((byte) version);
        assertThat(whole.timestampNanos).as("time of the completing fragment").isEqualTo(T0 + 2);
        assertThat(buffer.isEmpty()).isTrue();
    }

    private static Packet build(int version, int id, int offset, boolean more, char c, int len) {
        return version == 4 ? v4(id, offset, more, c, len) : v6(id, offset, more, c, len);
    }

    /**
     * The Sturges/Novak overlap layout of Suricata's {@code DefragSturgesNovak*Test}: nine
     * original fragments, seven overlapping ones, then the last. First copy wins gives the
     * "first" column of the target-based policies.
     */
    static List<Packet> sturgesNovak(int version) {
        Object[][] layout = {
            {0, 'A', 24}, {32, 'B', 16}, {48, 'C', 24}, {80, 'D', 8}, {104, 'E', 16},
            {120, 'F', 24}, {144, 'G', 16}, {160, 'H', 16}, {176, 'I', 8},
            // overlapping later copies
            {8, 'J', 32}, {48, 'K', 24}, {72, 'L', 24}, {96, 'M', 24}, {128, 'N', 8},
            {152, 'O', 8}, {160, 'P', 8},
        };
        List<Packet> fragments = new ArrayList<>();
        for (Object[] f : layout) {
            fragments.add(build(version, 1, (int) f[0], true, (char) f[1], (int) f[2]));
        }
        fragments.add(build(version, 1, 176, false, 'Q', 16));
        return fragments;
    }

    static final String STURGES_NOVAK_FIRST =
            "AAAAAAAA" + "AAAAAAAA" + "AAAAAAAA" + "JJJJJJJJ" + "BBBBBBBB" + "BBBBBBBB"
                    + "CCCCCCCC" + "CCCCCCCC" + "CCCCCCCC" + "LLLLLLLL" + "DDDDDDDD" + "LLLLLLLL"
                    + "MMMMMMMM" + "EEEEEEEE" + "EEEEEEEE" + "FFFFFFFF" + "FFFFFFFF" + "FFFFFFFF"
                    + "GGGGGGGG" + "GGGGGGGG" + "HHHHHHHH" + "HHHHHHHH" + "IIIIIIII" + "QQQQQQQQ";

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void resolvesSturgesNovakOverlapsLikeTheFirstPolicy(int version) {
        FragmentBuffer buffer = new FragmentBuffer();
        List<DefragOutcome> outcomes = feed(defragmenter, buffer, sturgesNovak(version));

        assertThat(outcomes.subList(0, 16)).extracting(DefragOutcome::status)
                .containsOnly(Status.PENDING);
        DefragOutcome done = outcomes.get(16);
        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(done.datagram().payload).hasSize(192);
        assertThat(text(done.datagram().payload)).isEqualTo(STURGES_NOVAK_FIRST);
        assertThat(buffer.isEmpty()).as("buffer released").isTrue();
    }

    @Test
    void decodesReassembledTcpSegment() {
        byte[] segment = FragmentFixtures.tcpSegment(5, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Packet first = fragment(4, IpProtocols.TCP, 7, 0, true, slice(segment, 0, 16));
        Packet second = at(fragment(4, IpProtocols.TCP, 7, 16, false, slice(segment, 16, segment.length)), T0 + 5);
        first.hop = 2;
        second.hop = 2;
        FragmentBuffer buffer = new FragmentBuffer();

        assertThat(defragmenter.accept(buffer, first).status()).isEqualTo(Status.PENDING);
        DefragOutcome done = defragmenter.accept(buffer, second);

        Packet whole = done.datagram();
        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(whole.protocol).isEqualTo(IpProtocols.TCP);
        assertThat(whole.srcPort).isEqualTo(40000);
        assertThat(whole.dstPort).isEqualTo(80);
        assertThat(whole.seq).isEqualTo(1000);
        assertThat(whole.ack).isEqualTo(2000);
        assertThat(whole.hasFlag(TcpFlags.PSH) && whole.hasFlag(TcpFlags.ACK)).isTrue();
        assertThat(text(whole.payload)).isEqualTo("GET / HTTP/1.1\r\n\r\n");
        assertThat(whole.srcAddr).isEqualTo(FragmentFixtures.V4_SRC);
        assertThat(whole.dstAddr).isEqualTo(FragmentFixtures.V4_DST);
        assertThat(whole.hop).isEqualTo(2);
        assertThat(whole.timestampNanos).isEqualTo(T0 + 5);
    }

    @Test
    void dropsReassembledDatagramWithBadTcpHeader() {
        // Data offset 15 words (60 bytes) in a 24-byte segment.
        byte[] segment = FragmentFixtures.tcpSegment(15, new byte[4]);
        FragmentBuffer buffer = new FragmentBuffer();
        defragmenter.accept(buffer, fragment(4, IpProtocols.TCP, 9, 0, true, slice(segment, 0, 16)));
        DefragOutcome done = defragmenter.accept(
                buffer, fragment(4, IpProtocols.TCP, 9, 16, false, slice(segment, 16, 24)));

        assertThat(done.status()).isEqualTo(Status.DROPPED);
        assertThat(done.reason()).isEqualTo(DropReason.TRUNCATED_TRANSPORT);
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void takesIpv6UpperProtocolFromTheFirstFragment() {
        byte[] udp = FragmentFixtures.udpDatagram(FragmentFixtures.filled(24, 'u'));
        // RFC 8200: only the offset-zero fragment's Next Header counts.
        Packet tail = fragment(6, (byte) 0, 5, 16, false, slice(udp, 16, udp.length));
        Packet head = fragment(6, IpProtocols.UDP, 5, 0, true, slice(udp, 0, 16));
        FragmentBuffer buffer = new FragmentBuffer();

        defragmenter.accept(buffer, head);
        DefragOutcome done = defragmenter.accept(buffer, tail);

        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(done.datagram().protocol).isEqualTo(IpProtocols.UDP);
        assertThat(done.datagram().srcPort).isEqualTo(5353);
        assertThat(done.datagram().payload).isEqualTo(FragmentFixtures.filled(24, 'u'));
    }

    @Test
    void decodesAtomicFragmentAloneAndLeavesTheBufferAlone() {
        FragmentBuffer buffer = new FragmentBuffer();
        defragmenter.accept(buffer, v6(3, 0, true, 'A', 8));
        byte[] udp = FragmentFixtures.udpDatagram(FragmentFixtures.filled(3, 'z'));

        DefragOutcome atomic = defragmenter.accept(buffer, fragment(6, IpProtocols.UDP, 3, 0, false, udp));

        assertThat(atomic.status()).isEqualTo(Status.COMPLETED);
        assertThat(atomic.datagram().payload).isEqualTo(FragmentFixtures.filled(3, 'z'));
        assertThat(buffer.fragmentCount()).isEqualTo(1);
        assertThat(FragmentBufferTest.render(buffer)).isEqualTo("AAAAAAAA");
    }

    @Test
    void dropsDatagramWithTooManyFragments() {
        Defragmenter d = new Defragmenter(new DefragLimits(Duration.ofSeconds(30), 3, 65535));
        FragmentBuffer buffer = new FragmentBuffer();
        List<DefragOutcome> outcomes = feed(d, buffer, List.of(
                v4(1, 0, true, 'A', 8), v4(1, 0, true, 'A', 8), v4(1, 0, true, 'A', 8),
                v4(1, 8, false, 'B', 8)));

        assertThat(outcomes.subList(0, 3)).extracting(DefragOutcome::status).containsOnly(Status.PENDING);
        assertThat(outcomes.get(3).status()).isEqualTo(Status.DROPPED);
        assertThat(outcomes.get(3).reason()).isEqualTo(DropReason.FRAGMENT_LIMIT);
        assertThat(buffer.isEmpty()).as("the whole datagram is dropped").isTrue();
    }

    @Test
    void dropsDatagramOverTheSizeLimit() {
        Defragmenter d = new Defragmenter(new DefragLimits(Duration.ofSeconds(30), 256, 64));
        FragmentBuffer buffer = new FragmentBuffer();
        List<DefragOutcome> outcomes = feed(d, buffer, List.of(
                v4(1, 0, true, 'A', 56), v4(1, 56, true, 'B', 8), v4(1, 64, false, 'C', 1)));

        assertThat(outcomes).extracting(DefragOutcome::status)
                .containsExactly(Status.PENDING, Status.PENDING, Status.DROPPED);
        assertThat(outcomes.get(2).reason()).isEqualTo(DropReason.FRAGMENT_LIMIT);
        assertThat(buffer.isEmpty()).isTrue();
    }

    static Stream<Arguments> malformedFragments() {
        return Stream.of(
                // Suricata DefragIPv4TooLargeTest: offset 8183 units + 71 bytes passes 65535 - 20.
                Arguments.of("IPv4 fragment past the largest datagram", v4(1, 8183 * 8, false, 'A', 71)),
                Arguments.of("IPv6 fragment past the largest payload", v6(1, 8191 * 8, false, 'A', 8)),
                Arguments.of("non-last fragment not a multiple of 8", v4(1, 0, true, 'A', 12)),
                Arguments.of("offset not a multiple of 8", v4(1, 4, true, 'A', 8)),
                Arguments.of("negative offset", v4(1, -8, true, 'A', 8)),
                Arguments.of("unknown IP version", fragment(5, IpProtocols.UDP, 1, 8, true, new byte[8])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFragments")
    void refusesMalformedFragmentAndKeepsTheDatagram(String name, Packet bad) {
        FragmentBuffer buffer = new FragmentBuffer();
        defragmenter.accept(buffer, v4(1, 0, true, 'A', 8));

        DefragOutcome outcome = defragmenter.accept(buffer, bad);

        assertThat(outcome.status()).isEqualTo(Status.DROPPED);
        assertThat(outcome.reason()).isEqualTo(DropReason.FRAGMENT_MALFORMED);
        assertThat(buffer.fragmentCount()).isEqualTo(1);
        assertThat(FragmentBufferTest.render(buffer)).isEqualTo("AAAAAAAA");
    }

    @Test
    void refusesInconsistentLastFragmentThenCompletesWithTheFirstTotal() {
        FragmentBuffer buffer = new FragmentBuffer();
        List<DefragOutcome> outcomes = feed(defragmenter, buffer, List.of(
                v4(1, 16, false, 'C', 4),
                v4(1, 16, false, 'X', 12),
                v4(1, 8, true, 'B', 16),
                v4(1, 0, true, 'A', 8),
                v4(1, 8, true, 'B', 8)));

        assertThat(outcomes).extracting(DefragOutcome::status).containsExactly(
                Status.PENDING, Status.DROPPED, Status.DROPPED, Status.PENDING, Status.COMPLETED);
        assertThat(outcomes.get(1).reason()).isEqualTo(DropReason.FRAGMENT_MALFORMED);
        assertThat(outcomes.get(2).reason()).isEqualTo(DropReason.FRAGMENT_MALFORMED);
        assertThat(text(outcomes.get(4).datagram().payload)).isEqualTo("AAAAAAAABBBBBBBBCCCC");
    }

    @Test
    void zeroLengthMiddleFragmentNeitherBreaksNorCompletesTheDatagram() {
        FragmentBuffer buffer = new FragmentBuffer();
        List<DefragOutcome> outcomes = feed(defragmenter, buffer, List.of(
                v4(1, 0, true, 'A', 8), v4(1, 8, true, 'Z', 0), v4(1, 16, false, 'C', 3),
                v4(1, 8, true, 'B', 8)));

        assertThat(outcomes).extracting(DefragOutcome::status)
                .containsExactly(Status.PENDING, Status.PENDING, Status.PENDING, Status.COMPLETED);
        assertThat(text(outcomes.get(3).datagram().payload)).isEqualTo("AAAAAAAABBBBBBBBCCC");
    }

    @Test
    void startsAFreshDatagramWhenTheHeldOneTimedOutInPacketTime() {
        FragmentBuffer buffer = new FragmentBuffer();
        defragmenter.accept(buffer, at(v4(1, 0, true, 'A', 8), T0));
        assertThat(defragmenter.deadlineNanos(buffer)).isEqualTo(T0 + 30 * SECOND);

        DefragOutcome justBefore = defragmenter.accept(buffer, at(v4(1, 16, true, 'C', 8), T0 + 30 * SECOND - 1));
        assertThat(justBefore.previousTimedOut()).isFalse();
        assertThat(buffer.fragmentCount()).isEqualTo(2);

        DefragOutcome late = defragmenter.accept(buffer, at(v4(1, 8, false, 'B', 8), T0 + 30 * SECOND));
        assertThat(late.previousTimedOut()).isTrue();
        assertThat(late.status()).isEqualTo(Status.PENDING);
        assertThat(FragmentBufferTest.render(buffer)).isEqualTo("........BBBBBBBB");
        assertThat(buffer.firstTimestampNanos()).isEqualTo(T0 + 30 * SECOND);
    }

    @Test
    void rejectsAWholePacketAsAWiringError() {
        Packet whole = v4(1, 0, false, 'A', 8);
        whole.fragment = false;
        assertThatThrownBy(() -> defragmenter.accept(new FragmentBuffer(), whole))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a fragment");
    }

    @Test
    void refusesLimitsThatCannotWork() {
        assertThatThrownBy(() -> new DefragLimits(Duration.ZERO, 1, 1))
                .hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> new DefragLimits(Duration.ofSeconds(1), 0, 1))
                .hasMessageContaining("max fragments");
        assertThatThrownBy(() -> new DefragLimits(Duration.ofSeconds(1), 1, 0))
                .hasMessageContaining("max datagram bytes");
    }
}
