package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The snapshot statistics keep the last snapshot, the largest, and the time of all. */
class CachedFlowsSnapshotStatsTest {
    @Test
    void keepsTheLastSnapshotTheLargestAndTheSumOfTheirTimes() {
        CachedFlowsSnapshotStats stats = new CachedFlowsSnapshotStats();
        stats.taken(100, 5000, 7);
        stats.taken(300, 15000, 20);
        stats.taken(10, 400, 2);

        assertThat(stats.flows()).isEqualTo(10);
        assertThat(stats.bytes()).isEqualTo(400);
        assertThat(stats.millis()).isEqualTo(2);
        assertThat(stats.maxBytes()).isEqualTo(15000);
        assertThat(stats.maxMillis()).isEqualTo(20);
        assertThat(stats.totalMillis()).isEqualTo(29);
    }
}
