package io.sftap.job.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.Addresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConformanceSuiteTest {
    @ParameterizedTest
    @CsvSource({
        "2001:6f8:102d:0:2d0:9ff:fee3:e8de, 2001:6f8:102d::2d0:9ff:fee3:e8de",
        "0:1:2:3:4:5:6:7, ::1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7::",
        "2001:db8::1, 2001:db8::1",
        "::1, ::1",
        "192.0.2.1, 192.0.2.1"
    })
    void writesAddressesAsTheLabelsFileDoes(String address, String labelText) {
        assertThat(ConformanceSuite.labelAddress(Addresses.parse(address))).isEqualTo(labelText);
    }

    @ParameterizedTest
    @CsvSource({"dns, 6, dns_tcp", "dns, 17, dns_udp", "ssl, 6, ssl", "default, 6, other", "syslog, 17, other"})
    void mapsInterfacesToLabelClasses(String iface, byte protocol, String label) {
        assertThat(ConformanceSuite.labelOf(iface, protocol)).isEqualTo(label);
    }

    @ParameterizedTest
    @CsvSource({"6, TCP", "17, UDP", "1, ICMP", "58, ICMPV6", "47, 47"})
    void namesTransportsAsTheLabelsFileDoes(byte protocol, String text) {
        assertThat(ConformanceSuite.l4Label(protocol)).isEqualTo(text);
    }
}
