package io.sftap.source.wire;

import static io.sftap.source.wire.TestFrames.V4_A;
import static io.sftap.source.wire.TestFrames.V4_B;
import static io.sftap.source.wire.TestFrames.V6_A;
import static io.sftap.source.wire.TestFrames.V6_B;
import static io.sftap.source.wire.TestFrames.authentication;
import static io.sftap.source.wire.TestFrames.bytes;
import static io.sftap.source.wire.TestFrames.concat;
import static io.sftap.source.wire.TestFrames.ethernet;
import static io.sftap.source.wire.TestFrames.ethernetTagged;
import static io.sftap.source.wire.TestFrames.extension;
import static io.sftap.source.wire.TestFrames.fragmentHeader;
import static io.sftap.source.wire.TestFrames.ipv4;
import static io.sftap.source.wire.TestFrames.ipv6;
import static io.sftap.source.wire.TestFrames.loopback;
import static io.sftap.source.wire.TestFrames.sll;
import static io.sftap.source.wire.TestFrames.sll2;
import static io.sftap.source.wire.TestFrames.tcp;
import static io.sftap.source.wire.TestFrames.tcpPacket;
import static io.sftap.source.wire.TestFrames.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven tests of FrameDecoder over hand-made frames of every supported link type. */
class FrameDecoderTest {
    private static final long TS = 1_700_000_000_123_456_789L;
    private static final byte[] HELLO = "hello".getBytes();
    private static final byte[] TCP_HELLO = tcp(1234, 80, 1000, 2000, TcpFlags.PSH | TcpFlags.ACK, HELLO);
    private static final Packet V4_HELLO = tcpPacket(4, 1234, 80, 1000, 2000, TcpFlags.PSH | TcpFlags.ACK, HELLO);
    private static final Packet V6_HELLO = tcpPacket(6, 1234, 80, 1000, 2000, TcpFlags.PSH | TcpFlags.ACK, HELLO);
    private static final byte[] IPV4_HELLO = ipv4(6, TCP_HELLO);
    private static final byte[] IPV6_HELLO = ipv6(6, TCP_HELLO);

    static Stream<Arguments> decodedFrames() {
        return Stream.of(
                ok("ethernet ipv4 tcp", LinkTypes.ETHERNET, ethernet(0x0800, IPV4_HELLO), V4_HELLO),
                ok("ethernet ipv6 tcp", LinkTypes.ETHERNET, ethernet(0x86dd, IPV6_HELLO), V6_HELLO),
                ok("802.1Q", LinkTypes.ETHERNET, ethernetTagged(new int[] {0x8100}, 0x0800, IPV4_HELLO), V4_HELLO),
                ok("802.1ad QinQ", LinkTypes.ETHERNET,
                        ethernetTagged(new int[] {0x88a8, 0x8100}, 0x86dd, IPV6_HELLO), V6_HELLO),
                ok("0x9100 QinQ", LinkTypes.ETHERNET,
                        ethernetTagged(new int[] {0x9100, 0x8100}, 0x0800, IPV4_HELLO), V4_HELLO),
                ok("ethernet padding trimmed to ip total length", LinkTypes.ETHERNET,
                        ethernet(0x0800, concat(IPV4_HELLO, new byte[12])), V4_HELLO),
                ok("ipv4 with options", LinkTypes.ETHERNET,
                        ethernet(0x0800, ipv4(6, V4_A, V4_B, 7, 0x4000, bytes(1, 1, 1, 0, 0x94, 4, 0, 0), TCP_HELLO)),
                        V4_HELLO),
                ok("pppoe session ipv4", LinkTypes.ETHERNET,
                        ethernet(0x8864, concat(bytes(0x11, 0, 0, 1, 0, 0), TestFrames.u16(0x0021), IPV4_HELLO)), V4_HELLO),
                ok("pppoe session ipv6", LinkTypes.ETHERNET,
                        ethernet(0x8864, concat(bytes(0x11, 0, 0, 1, 0, 0), TestFrames.u16(0x0057), IPV6_HELLO)), V6_HELLO),
                ok("6in4 tunnel gives the inner flow", LinkTypes.ETHERNET, ethernet(0x0800, ipv4(41, IPV6_HELLO)), V6_HELLO),
                ok("ip-in-ip tunnel gives the inner flow", LinkTypes.IPV4, ipv4(4, IPV4_HELLO), V4_HELLO),
                ok("linux sll", LinkTypes.LINUX_SLL, sll(0x0800, IPV4_HELLO), V4_HELLO),
                ok("linux sll with vlan tag", LinkTypes.LINUX_SLL,
                        sll(0x8100, concat(TestFrames.u16(5), TestFrames.u16(0x86dd), IPV6_HELLO)), V6_HELLO),
                ok("linux sll2", LinkTypes.LINUX_SLL2, sll2(0x86dd, IPV6_HELLO), V6_HELLO),
                ok("null AF_INET little endian", LinkTypes.NULL, loopback(2, true, IPV4_HELLO), V4_HELLO),
                ok("null AF_INET big endian", LinkTypes.NULL, loopback(2, false, IPV4_HELLO), V4_HELLO),
                ok("null AF_INET6 24", LinkTypes.NULL, loopback(24, true, IPV6_HELLO), V6_HELLO),
                ok("null AF_INET6 28", LinkTypes.NULL, loopback(28, true, IPV6_HELLO), V6_HELLO),
                ok("null AF_INET6 30", LinkTypes.NULL, loopback(30, false, IPV6_HELLO), V6_HELLO),
                ok("null AF_INET6 10", LinkTypes.NULL, loopback(10, true, IPV6_HELLO), V6_HELLO),
                ok("loop AF_INET network order", LinkTypes.LOOP, loopback(2, false, IPV4_HELLO), V4_HELLO),
                ok("loop AF_INET6 host order", LinkTypes.LOOP, loopback(24, true, IPV6_HELLO), V6_HELLO),
                ok("raw ipv4", LinkTypes.RAW, IPV4_HELLO, V4_HELLO),
                ok("raw ipv6", LinkTypes.RAW, IPV6_HELLO, V6_HELLO),
                ok("raw 12", LinkTypes.RAW_BSD12, IPV4_HELLO, V4_HELLO),
                ok("raw 14", LinkTypes.RAW_BSD14, IPV6_HELLO, V6_HELLO),
                ok("linktype ipv4", LinkTypes.IPV4, IPV4_HELLO, V4_HELLO),
                ok("linktype ipv6", LinkTypes.IPV6, IPV6_HELLO, V6_HELLO),
                ok("ipv6 extension chain", LinkTypes.IPV6,
                        // hop-by-hop -> routing -> AH -> destination options -> mobility -> TCP
                        ipv6(0, concat(extension(43, 1), extension(51, 0), authentication(60, 4),
                                extension(135, 0), extension(6, 0), TCP_HELLO)),
                        V6_HELLO),
                ok("ipv6 atomic fragment is whole", LinkTypes.IPV6,
                        ipv6(44, concat(fragmentHeader(6, 0, false, 9), TCP_HELLO)), V6_HELLO),
                ok("udp", LinkTypes.IPV4, ipv4(17, udp(53, 5353, HELLO)), udpPacket()),
                ok("icmp keeps whole message", LinkTypes.IPV4, ipv4(1, bytes(8, 0, 0, 0, 1, 2)),
                        icmpPacket(bytes(8, 0, 0, 0, 1, 2))),
                ok("ipv4 first fragment", LinkTypes.IPV4,
                        ipv4(17, V4_A, V4_B, 0x1234, 0x2000, new byte[0], udp(53, 53, HELLO)),
                        fragment(4, 17, 0x1234, 0, true, udp(53, 53, HELLO))),
                ok("ipv4 last fragment", LinkTypes.IPV4,
                        ipv4(17, V4_A, V4_B, 0x1234, 185, new byte[0], HELLO),
                        fragment(4, 17, 0x1234, 1480, false, HELLO)),
                ok("ipv6 fragment", LinkTypes.IPV6,
                        ipv6(44, concat(fragmentHeader(17, 1448, true, 0xdeadbeef), HELLO)),
                        fragment(6, 17, 0xdeadbeef, 1448, true, HELLO)),
                ok("ipv6 fragment after hop-by-hop", LinkTypes.IPV6,
                        ipv6(0, concat(extension(44, 0), fragmentHeader(6, 0, true, 77), TCP_HELLO)),
                        fragment(6, 6, 77, 0, true, TCP_HELLO)));
    }

    static Stream<Arguments> droppedFrames() {
        byte[] v4 = IPV4_HELLO;
        return Stream.of(
                drop("ethernet shorter than header", LinkTypes.ETHERNET, new byte[10], DropReason.TRUNCATED_LINK),
                drop("arp", LinkTypes.ETHERNET, ethernet(0x0806, new byte[28]), DropReason.NOT_IP),
                drop("802.3 length field", LinkTypes.ETHERNET, ethernet(0x0040, new byte[46]), DropReason.NOT_IP),
                drop("vlan tag cut off", LinkTypes.ETHERNET, concat(ethernet(0x8100, bytes(0, 5))), DropReason.TRUNCATED_LINK),
                drop("too many vlan tags", LinkTypes.ETHERNET,
                        ethernetTagged(new int[] {0x8100, 0x8100, 0x8100, 0x8100, 0x8100}, 0x0800, v4), DropReason.NOT_IP),
                drop("all-ones garbage", LinkTypes.ETHERNET, filled(60, 0xff), DropReason.NOT_IP),
                drop("sll shorter than header", LinkTypes.LINUX_SLL, new byte[15], DropReason.TRUNCATED_LINK),
                drop("sll2 shorter than header", LinkTypes.LINUX_SLL2, new byte[19], DropReason.TRUNCATED_LINK),
                drop("null shorter than header", LinkTypes.NULL, new byte[3], DropReason.TRUNCATED_LINK),
                drop("null unknown family", LinkTypes.NULL, loopback(7, true, v4), DropReason.NOT_IP),
                drop("unsupported link type", 147, v4, DropReason.UNSUPPORTED_LINK_TYPE),
                drop("raw ip bad version", LinkTypes.RAW, filled(40, 0x50), DropReason.NOT_IP),
                drop("raw empty", LinkTypes.RAW, new byte[0], DropReason.TRUNCATED_IP),
                drop("ipv4 shorter than 20", LinkTypes.IPV4, Arrays.copyOf(v4, 19), DropReason.TRUNCATED_IP),
                drop("ipv4 ihl below 5", LinkTypes.IPV4, patched(v4, 0, 0x44), DropReason.MALFORMED_IP),
                drop("ipv4 ihl beyond capture", LinkTypes.IPV4, Arrays.copyOf(patched(v4, 0, 0x4f), 40), DropReason.TRUNCATED_IP),
                drop("ipv4 total length below header", LinkTypes.IPV4, patched(v4, 3, 10), DropReason.MALFORMED_IP),
                drop("ipv4 udp cut by snaplen", LinkTypes.IPV4,
                        Arrays.copyOf(ipv4(17, udpHello()), ipv4(17, udpHello()).length - 1), DropReason.TRUNCATED_CAPTURE),
                drop("ipv4 tcp header cut by snaplen", LinkTypes.IPV4, Arrays.copyOf(v4, 30), DropReason.TRUNCATED_CAPTURE),
                drop("ethertype ipv4 carrying version 6", LinkTypes.ETHERNET, ethernet(0x0800, IPV6_HELLO), DropReason.MALFORMED_IP),
                drop("ipv6 shorter than 40", LinkTypes.IPV6, Arrays.copyOf(IPV6_HELLO, 39), DropReason.TRUNCATED_IP),
                drop("ipv6 cut by snaplen", LinkTypes.IPV6, Arrays.copyOf(IPV6_HELLO, 50), DropReason.TRUNCATED_CAPTURE),
                drop("ipv6 extension past the end", LinkTypes.IPV6, ipv6(0, bytes(6, 3, 0, 0, 0, 0, 0, 0)),
                        DropReason.MALFORMED_IPV6_EXTENSION),
                drop("ipv6 extension chain too long", LinkTypes.IPV6, ipv6(0, longChain(9)), DropReason.MALFORMED_IPV6_EXTENSION),
                drop("ipv6 fragment header cut", LinkTypes.IPV6, ipv6(44, bytes(17, 0, 0)), DropReason.MALFORMED_IPV6_EXTENSION),
                drop("tcp header cut", LinkTypes.IPV4, ipv4(6, new byte[12]), DropReason.TRUNCATED_TRANSPORT),
                drop("esp", LinkTypes.IPV4, ipv4(50, new byte[24]), DropReason.UNSUPPORTED_TRANSPORT),
                drop("pppoe lcp", LinkTypes.ETHERNET,
                        ethernet(0x8864, concat(bytes(0x11, 0, 0, 1, 0, 4), TestFrames.u16(0xc021), bytes(1, 1, 0, 4))),
                        DropReason.NOT_IP),
                drop("tunnels nested too deep", LinkTypes.IPV4, ipv4(4, ipv4(4, ipv4(4, ipv4(4, IPV4_HELLO)))),
                        DropReason.UNSUPPORTED_TRANSPORT),
                drop("fragment past 64 KiB", LinkTypes.IPV4,
                        ipv4(17, V4_A, V4_B, 1, 8189, new byte[0], new byte[100]), DropReason.FRAGMENT_MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodedFrames")
    void decodesFrame(String name, int linkType, byte[] frame, Packet want) {
        // Decode from the middle of a larger buffer to catch offset mistakes.
        byte[] buf = concat(filled(7, 0xee), frame, filled(5, 0xee));
        Packet out = new Packet();
        DropReason reason = new FrameDecoder().decode(linkType, buf, 7, frame.length, TS, out);
        want.timestampNanos = TS;
        assertThat(reason).isNull();
        assertThat(out).isEqualTo(want);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("droppedFrames")
    void dropsFrameWithReason(String name, int linkType, byte[] frame, DropReason want) {
        byte[] buf = concat(filled(3, 0x45), frame, filled(64, 0x45));
        assertThat(new FrameDecoder().decode(linkType, buf, 3, frame.length, TS, new Packet())).isEqualTo(want);
    }

    @Test
    void tcpSegmentCutBySnaplenKeepsItsLengthOnTheWire() {
        Packet p = new Packet();
        byte[] frame = Arrays.copyOf(IPV4_HELLO, IPV4_HELLO.length - 2);
        assertThat(new FrameDecoder().decode(LinkTypes.IPV4, frame, 0, frame.length, TS, p)).isNull();
        assertThat(p.payload).containsExactly("hel".getBytes());
        assertThat(p.segmentLength()).isEqualTo(5);
    }

    private static byte[] udpHello() {
        byte[] udp = new byte[8 + HELLO.length];
        udp[1] = 53;
        udp[3] = 53;
        udp[5] = (byte) udp.length;
        System.arraycopy(HELLO, 0, udp, 8, HELLO.length);
        return udp;
    }

    @Test
    void resetsReusedPacketBetweenFrames() {
        FrameDecoder decoder = new FrameDecoder();
        Packet out = new Packet();
        byte[] frag = ipv4(17, V4_A, V4_B, 9, 0x2000, new byte[0], udp(1, 2, HELLO));
        assertThat(decoder.decode(LinkTypes.IPV4, frag, 0, frag.length, 1, out)).isNull();
        assertThat(out.fragment).isTrue();
        assertThat(decoder.decode(LinkTypes.IPV4, IPV4_HELLO, 0, IPV4_HELLO.length, TS, out)).isNull();
        V4_HELLO.timestampNanos = TS;
        assertThat(out).isEqualTo(V4_HELLO);
    }

    @Test
    void neverThrowsOnRandomBytes() {
        FrameDecoder decoder = new FrameDecoder();
        Random random = new Random(42);
        int[] linkTypes = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 9999};
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] frame = new byte[random.nextInt(120)];
            random.nextBytes(frame);
            // Bias towards plausible headers so that deep paths are reached.
            if (frame.length > 20 && random.nextBoolean()) {
                frame[14] = (byte) (random.nextBoolean() ? 0x45 : 0x60);
                frame[12] = 0x08;
                frame[13] = 0;
            }
            int linkType = linkTypes[random.nextInt(linkTypes.length)];
            Packet out = new Packet();
            assertThatCode(() -> decoder.decode(linkType, frame, 0, frame.length, 0, out)).doesNotThrowAnyException();
            if (decoder.decode(linkType, frame, 0, frame.length, 0, out) == null) {
                decoded++;
                assertThat(out.srcAddr).hasSize(out.ipVersion == 4 ? 4 : 16);
            }
        }
        assertThat(decoded).isPositive();
    }

    private static Arguments ok(String name, int linkType, byte[] frame, Packet want) {
        return Arguments.of(name, linkType, frame, want);
    }

    private static Arguments drop(String name, int linkType, byte[] frame, DropReason want) {
        return Arguments.of(name, linkType, frame, want);
    }

    private static Packet udpPacket() {
        Packet p = new Packet();
        p.ipVersion = 4;
        p.protocol = IpProtocols.UDP;
        p.srcAddr = V4_A;
        p.dstAddr = V4_B;
        p.srcPort = 53;
        p.dstPort = 5353;
        p.payload = HELLO;
        return p;
    }

    private static Packet icmpPacket(byte[] message) {
        Packet p = new Packet();
        p.ipVersion = 4;
        p.protocol = IpProtocols.ICMP;
        p.srcAddr = V4_A;
        p.dstAddr = V4_B;
        p.payload = message;
        return p;
    }

    private static Packet fragment(int version, int protocol, int id, int offset, boolean more, byte[] data) {
        Packet p = new Packet();
        p.ipVersion = (byte) version;
        p.protocol = (byte) protocol;
        p.srcAddr = version == 4 ? V4_A : V6_A;
        p.dstAddr = version == 4 ? V4_B : V6_B;
        p.fragment = true;
        p.fragmentId = id;
        p.fragmentOffset = offset;
        p.moreFragments = more;
        p.payload = data;
        return p;
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] patched(byte[] b, int index, int value) {
        byte[] c = b.clone();
        c[index] = (byte) value;
        return c;
    }

    private static byte[] longChain(int headers) {
        byte[] chain = new byte[0];
        for (int i = 0; i < headers; i++) {
            chain = concat(chain, extension(i == headers - 1 ? 6 : 60, 0));
        }
        return concat(chain, TCP_HELLO);
    }
}
