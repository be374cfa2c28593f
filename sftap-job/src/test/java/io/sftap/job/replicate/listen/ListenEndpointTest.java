package io.sftap.job.replicate.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link ListenEndpoint} parsing and its written form (which the split serializer stores). */
class ListenEndpointTest {
    @ParameterizedTest
    @CsvSource({
        "udp:514, UDP, ::, 514, udp:[::]:514",
        "udp:0.0.0.0:2055, UDP, 0.0.0.0, 2055, udp:0.0.0.0:2055",
        "tcp-syslog:[2001:db8::1]:514, SYSLOG_TCP, 2001:db8::1, 514, tcp-syslog:[2001:db8::1]:514",
        "TCP-SYSLOG:6514, SYSLOG_TCP, ::, 6514, tcp-syslog:[::]:6514",
    })
    void parsesEveryFormAndRoundTrips(String text, ListenEndpoint.Kind kind, String address, int port, String written) {
        ListenEndpoint e = ListenEndpoint.parse(text);
        assertThat(e.kind).isEqualTo(kind);
        assertThat(e.address).isEqualTo(address);
        assertThat(e.port).isEqualTo(port);
        assertThat(e.toString()).isEqualTo(written);
        assertThat(ListenEndpoint.parse(written)).isEqualTo(e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"514", "tcp:514", "udp:70000", "udp:[::1]514", "udp:x"})
    void refusesMalformedEndpointsNamingThem(String text) {
        assertThatThrownBy(() -> ListenEndpoint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.length() > 3 ? text.substring(0, 3) : text);
    }
}
