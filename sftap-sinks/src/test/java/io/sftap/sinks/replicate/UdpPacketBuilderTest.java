package io.sftap.sinks.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests for {@link UdpPacketBuilder}: headers, checksums and fragmentation as a receiver sees them. */
class UdpPacketBuilderTest {
    private static final byte[] SRC4 = {(byte) 198, 18, 1, 1};
    private static final byte[] DST4 = {(byte) 198, 18, 2, 7};
    private static final byte[] SRC6 = v6(1);
    private static final byte[] DST6 = v6(2);

    private static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[15] = (byte) last;
        return a;
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        new Random(n).nextBytes(p);
        return p;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /** The UDP checksum a receiver computes over pseudo-header + datagram: 0 when valid. */
    private static int verifyUdp(byte[] src, byte[] dst, byte[] udp) {
        long sum = InternetChecksum.add(0, src, 0, src.length);
        sum = InternetChecksum.add(sum, dst, 0, dst.length);
        sum += 17 + udp.length;
        return InternetChecksum.finish(InternetChecksum.add(sum, udp, 0, udp.length));
    }

    @Test
    void buildsOneIpv4PacketWithValidChecksumsWhenItFits() {
        byte[] data = payload(100);
        List<byte[]> ps = UdpPacketBuilder.packets(SRC4, DST4, 40000, 514, data, 1500, 7);
        assertThat(ps).hasSize(1);
        byte[] p = ps.get(0);
        assertThat(p.length).isEqualTo(20 + 8 + 100);
        assertThat(InternetChecksum.finish(InternetChecksum.add(0, p, 0, 20))).isZero();
        assertThat(Arrays.copyOfRange(p, 12, 16)).isEqualTo(SRC4);
        assertThat(u16(p, 6)).as("no MF, offset 0, DF clear").isZero();
        byte[] udp = Arrays.copyOfRange(p, 20, p.length);
        assertThat(u16(udp, 0)).isEqualTo(40000);
        assertThat(u16(udp, 2)).isEqualTo(514);
        assertThat(verifyUdp(SRC4, DST4, udp)).isZero();
        assertThat(Arrays.copyOfRange(udp, 8, udp.length)).isEqualTo(data);
    }

    @Test
    void fragmentsIpv4ToTheMtuAndTheFragmentsReassembleToTheDatagram() {
        byte[] data = payload(6000);
        List<byte[]> ps = UdpPacketBuilder.packets(SRC4, DST4, 1234, 2055, data, 1500, 0xbeef);
        assertThat(ps).hasSize(5);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < ps.size(); i++) {
            byte[] p = ps.get(i);
            assertThat(p.length).isLessThanOrEqualTo(1500);
            assertThat(u16(p, 2)).isEqualTo(p.length);
            assertThat(u16(p, 4)).isEqualTo(0xbeef);
            int flags = u16(p, 6);
            assertThat((flags & 0x2000) != 0).as("MF on all but the last").isEqualTo(i < ps.size() - 1);
            assertThat((flags & 0x1fff) * 8).isEqualTo(whole.size());
            if (i < ps.size() - 1) {
                assertThat((p.length - 20) % 8).isZero();
            }
            assertThat(InternetChecksum.finish(InternetChecksum.add(0, p, 0, 20))).isZero();
            whole.write(p, 20, p.length - 20);
        }
        byte[] udp = whole.toByteArray();
        assertThat(u16(udp, 4)).isEqualTo(6008);
        assertThat(verifyUdp(SRC4, DST4, udp)).isZero();
        assertThat(Arrays.copyOfRange(udp, 8, udp.length)).isEqualTo(data);
    }

    @Test
    void buildsIpv6WithMandatoryChecksumAndFragmentHeaderWhenTooLarge() {
        byte[] small = payload(64);
        byte[] one = UdpPacketBuilder.packets(SRC6, DST6, 5000, 162, small, 1500, 1).get(0);
        assertThat(one[0] >>> 4).isEqualTo(6);
        assertThat(one[6]).isEqualTo((byte) 17);
        assertThat(u16(one, 4)).isEqualTo(72);
        assertThat(verifyUdp(SRC6, DST6, Arrays.copyOfRange(one, 40, one.length))).isZero();

        byte[] data = payload(4000);
        List<byte[]> ps = UdpPacketBuilder.packets(SRC6, DST6, 5000, 6343, data, 1280, 0x01020304);
        assertThat(ps).hasSizeGreaterThan(3);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < ps.size(); i++) {
            byte[] p = ps.get(i);
            assertThat(p.length).isLessThanOrEqualTo(1280);
            assertThat(p[6]).as("next header: fragment").isEqualTo((byte) 44);
            assertThat(u16(p, 4)).isEqualTo(p.length - 40);
            assertThat(p[40]).isEqualTo((byte) 17);
            int offsetAndFlag = u16(p, 42);
            assertThat(offsetAndFlag & ~7).isEqualTo(whole.size());
            assertThat(offsetAndFlag & 1).isEqualTo(i < ps.size() - 1 ? 1 : 0);
            assertThat(Arrays.copyOfRange(p, 44, 48)).containsExactly(1, 2, 3, 4);
            whole.write(p, 48, p.length - 48);
        }
        byte[] udp = whole.toByteArray();
        assertThat(verifyUdp(SRC6, DST6, udp)).isZero();
        assertThat(Arrays.copyOfRange(udp, 8, udp.length)).isEqualTo(data);
    }

    @Test
    void refusesMixedFamiliesAndOversizedPayloads() {
        assertThatThrownBy(() -> UdpPacketBuilder.packets(SRC4, DST6, 1, 2, new byte[1], 1500, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must both be IPv4 or both IPv6");
        assertThatThrownBy(() -> UdpPacketBuilder.packets(SRC4, DST4, 1, 2, new byte[65508], 1500, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds 65507");
        assertThat(UdpPacketBuilder.packets(SRC4, DST4, 1, 2, new byte[65507], 1500, 0)).hasSize(45);
    }

    @Test
    void writesAllOnesForAChecksumThatComputesToZero() {
        // Search a 2-byte payload whose checksum folds to 0: it must go out as 0xffff (0 = "none").
        for (int v = 0; v < 65536; v++) {
            byte[] data = {(byte) (v >>> 8), (byte) v};
            byte[] udp = UdpPacketBuilder.udp(SRC4, DST4, 1, 2, data);
            if (u16(udp, 6) == 0xffff) {
                assertThat(verifyUdp(SRC4, DST4, udp)).isZero();
                return;
            }
            assertThat(u16(udp, 6)).isNotZero();
        }
        throw new AssertionError("no payload with a zero checksum found");
    }
}
