package io.sftap.source.live;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.live.LiveCaptureChecks.LiveCaptureException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of LiveCaptureChecks' messages for missing interfaces, capabilities and libpcap. */
class LiveCaptureChecksTest {
    private static final String ROOT = "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n";
    private static final String NO_RAW = "Name:\tjava\nCapEff:\t0000000000000000\n";
    private static final String RAW_ONLY = "CapEff:\t0000000000002000\n";

    private static LiveCaptureChecks checks(String status, Runnable libpcap) {
        return new LiveCaptureChecks(() -> List.of("eth0", "lo"), () -> status, () -> {
            libpcap.run();
            return "libpcap version 1.10.3";
        });
    }

    @Test
    void passesWithTheInterfaceTheCapabilityAndLibpcap() {
        assertThatCode(() -> checks(ROOT, () -> {}).run("eth0")).doesNotThrowAnyException();
        assertThatCode(() -> checks(RAW_ONLY, () -> {}).run("any")).doesNotThrowAnyException();
    }

    @Test
    void namesTheExistingInterfacesWhenOneIsMissing() {
        assertThatThrownBy(() -> checks(ROOT, () -> {}).run("eth9"))
                .isInstanceOf(LiveCaptureException.class)
                .hasMessageContaining("interface eth9 does not exist")
                .hasMessageContaining("eth0, lo");
    }

    @Test
    void explainsHowToGetCapNetRaw() {
        assertThatThrownBy(() -> checks(NO_RAW, () -> {}).run("eth0"))
                .hasMessageContaining("CAP_NET_RAW")
                .hasMessageContaining("run as root")
                .hasMessageContaining("setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))");
    }

    @Test
    void saysToInstallLibpcapWhenItDoesNotLoad() {
        LiveCaptureChecks missing = new LiveCaptureChecks(() -> List.of("eth0"), () -> ROOT, () -> {
            throw new UnsatisfiedLinkError("Unable to load library 'pcap'");
        });
        assertThatThrownBy(() -> missing.run("eth0"))
                .isInstanceOf(LiveCaptureException.class)
                .hasMessageContaining("Unable to load library 'pcap'")
                .hasMessageContaining("install libpcap: apt-get install libpcap0.8");
    }

    @Test
    void loadsTheRealLibpcapOnThisHost() {
        assertThatCode(() -> LiveCaptureChecks.loadLibpcap(org.pcap4j.core.Pcaps::libVersion))
                .doesNotThrowAnyException();
    }
}
