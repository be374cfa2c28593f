package io.sftap.sinks.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Address text as glibc inet_ntop prints it. */
class AddressTextTest {

    /** Right-hand sides are glibc inet_ntop output. */
    @ParameterizedTest
    @CsvSource({
        "10.0.0.2, 10.0.0.2",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "2001:db8::1, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "::1.2.3.4, ::1.2.3.4",
        "::ffff:0:1.2.3.4, ::ffff:0:102:304",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0db8:000a:000b:0:0:0:0, 2001:db8:a:b::",
        "0:0:0:0:0:1:0:0, ::1:0:0",
    })
    void printsAddressesAsGlibcInetNtop(String in, String expected) throws Exception {
        byte[] bytes = in.contains(":") ? ipv6Bytes(in) : InetAddress.getByName(in).getAddress();
        assertThat(AddressText.format(bytes)).isEqualTo(expected);
        assertThat(AddressText.parse(expected, bytes.length == 16)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1, true", "2001:db8::1, false", "example.org, false"})
    void refusesAddressOfTheWrongFamily(String text, boolean ipv6) {
        assertThatThrownBy(() -> AddressText.parse(text, ipv6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    /** 16 bytes even for IPv4-mapped text, which InetAddress folds to 4. */
    private static byte[] ipv6Bytes(String text) throws Exception {
        byte[] a = InetAddress.getByName(text).getAddress();
        if (a.length == 16) {
            return a;
        }
        byte[] m = new byte[16];
        m[10] = (byte) 0xff;
        m[11] = (byte) 0xff;
        System.arraycopy(a, 0, m, 12, 4);
        return m;
    }
}
