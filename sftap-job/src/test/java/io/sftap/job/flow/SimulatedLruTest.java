package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The miniature simulations: LRU and bimodal lists of key hashes that report hits. */
class SimulatedLruTest {
    private static int hitsOfLoop(SimulatedLru sim, int keys, int capacity, int rounds) {
        int hits = 0;
        for (int r = 0; r < rounds; r++) {
            for (long k = 0; k < keys; k++) {
                hits += sim.lookUp(k, capacity) ? 1 : 0;
            }
        }
        return hits;
    }

    @Test
    void anLruHitsNothingOnALoopLargerThanItAndEverythingOnOneThatFits() {
        assertThat(hitsOfLoop(new SimulatedLru(false), 200, 100, 10)).isZero();
        assertThat(hitsOfLoop(new SimulatedLru(false), 100, 100, 10)).isEqualTo(900);
    }

    @Test
    void aBimodalListKeepsMostOfWhatItHoldsOnALoopLargerThanIt() {
        SimulatedLru sim = new SimulatedLru(true);
        hitsOfLoop(sim, 200, 100, 5);
        assertThat(hitsOfLoop(sim, 200, 100, 10)).isGreaterThan(10 * 80);
        assertThat(sim.size()).isEqualTo(100);
    }

    @Test
    void aSmallerCapacityTrimsTheLeastRecentlyUsed() {
        SimulatedLru sim = new SimulatedLru(false);
        for (long k = 0; k < 10; k++) {
            sim.lookUp(k, 10);
        }
        sim.lookUp(0, 10); // key 0 is now the most recent
        sim.lookUp(10, 3);
        assertThat(sim.size()).isEqualTo(3);
        assertThat(sim.lookUp(0, 3)).isTrue();
        assertThat(sim.lookUp(9, 3)).isTrue();
        assertThat(sim.lookUp(8, 3)).isFalse();
    }
}
