package io.sftap.job.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void containsAddressesInsideThePrefixOnly() {
        IpPrefix p = IpPrefix.parse("10.1.0.0/12");

        assertThat(p.contains(new byte[] {10, 15, (byte) 255, 1})).isTrue();
        assertThat(p.contains(new byte[] {10, 16, 0, 0})).isFalse();
        assertThat(p.contains(new byte[16])).isFalse();
        assertThat(p).hasToString("10.0.0.0/12");
    }

    @Test
    void bareAddressIsAHostPrefixAndIpv6Works() {
        IpPrefix host = IpPrefix.parse("192.0.2.10");
        IpPrefix v6 = IpPrefix.parse("2001:db8::/32");

        assertThat(host.length).isEqualTo(32);
        assertThat(host.contains(new byte[] {(byte) 192, 0, 2, 10})).isTrue();
        assertThat(host.contains(new byte[] {(byte) 192, 0, 2, 11})).isFalse();
        assertThat(v6.contains(IpPrefix.parseAddress("2001:db8:ffff::1"))).isTrue();
        assertThat(v6.contains(IpPrefix.parseAddress("2001:db9::1"))).isFalse();
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(new byte[] {1, 2, 3, 4})).isTrue();
    }

    @Test
    void rejectsHostNamesAndBadLengths() {
        assertThatThrownBy(() -> IpPrefix.parse("collector.example")).hasMessageContaining("host names are not allowed");
        assertThatThrownBy(() -> IpPrefix.parse("256.0.0.1")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessageContaining("bad prefix length");
        assertThatThrownBy(() -> IpPrefix.parse("2001:db8::/129")).hasMessageContaining("bad prefix length");
    }
}
