package io.sftap.source.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests of CaptureLossMonitor: warns when drops grow, at most once per quiet period. */
class CaptureLossMonitorTest {
    private static final long S = 1_000_000_000L;

    @Test
    void warnsOnFirstLossThenSummarisesAfterTheQuietPeriod() {
        CaptureLossMonitor m = new CaptureLossMonitor("eth1", 10 * S);
        assertThat(m.observe(0, 100, 0, 0)).isNull();
        assertThat(m.observe(1 * S, 200, 5, 0)).contains("eth1", "5 more dropped by the kernel");
        assertThat(m.observe(2 * S, 300, 9, 1)).isNull(); // quiet period
        assertThat(m.observe(12 * S, 400, 12, 1)).contains("7 more dropped by the kernel", "1 more by the interface");
        assertThat(m.observe(30 * S, 500, 12, 1)).isNull(); // no new loss
        assertThat(m.received()).isEqualTo(500);
        assertThat(m.kernelDrops()).isEqualTo(12);
        assertThat(m.ifDrops()).isEqualTo(1);
    }

    @Test
    void takesACounterThatWentDownAsTheNewBase() {
        CaptureLossMonitor m = new CaptureLossMonitor("eth1", 0);
        assertThat(m.observe(0, 10, 50, 0)).isNotNull();
        assertThat(m.observe(1, 20, 3, 0)).isNull();
        assertThat(m.observe(2, 30, 4, 0)).contains("1 more dropped");
    }
}
