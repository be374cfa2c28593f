package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The admission turns bimodal under a loop larger than the cache and back to LRU when recency pays. */
class AdaptiveAdmissionTest {
    private static final long[] HASHES = new SplittableRandom(3).longs(100_000).toArray();

    /** Visits {@code keys} keys in turn for {@code rounds} rounds, in a cache of {@code entries}. */
    private static void loop(AdaptiveAdmission a, int keys, int entries, int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < keys; k++) {
                a.lookedUp(HASHES[k], entries);
            }
        }
    }

    /** Each key three times, 20 new keys apart, then never again. */
    private static void recency(AdaptiveAdmission a, int entries, int steps) {
        for (int t = 40; t < steps; t++) {
            for (int age : new int[] {0, 20, 40}) {
                a.lookedUp(HASHES[(t - age) % HASHES.length], entries);
            }
        }
    }

    private static int admittedOf(AdaptiveAdmission a, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            n += a.admit() ? 1 : 0;
        }
        return n;
    }

    @Test
    void startsAsAnLru() {
        AdaptiveAdmission a = new AdaptiveAdmission(1000);
        assertThat(a.bimodal()).isFalse();
        assertThat(admittedOf(a, 100)).isEqualTo(100);
    }

    @Test
    void turnsBimodalUnderALoopLargerThanTheCacheAndLetsInOneIn32() {
        AdaptiveAdmission a = new AdaptiveAdmission(1000);
        loop(a, 5000, 1000, 5);
        assertThat(a.bimodal()).isTrue();
        assertThat(admittedOf(a, 320)).isEqualTo(10);
    }

    @Test
    void turnsBackWhenRecencyPaysAgain() {
        AdaptiveAdmission a = new AdaptiveAdmission(1000);
        loop(a, 5000, 1000, 5);
        recency(a, 1000, 20_000);
        assertThat(a.bimodal()).isFalse();
    }

    @Test
    void staysAnLruWhenTheLoopFits() {
        AdaptiveAdmission a = new AdaptiveAdmission(1000);
        loop(a, 900, 1000, 20);
        assertThat(a.bimodal()).isFalse();
    }

    @Test
    void simulatesOnlyASampleOfTheKeysOfALargeCache() {
        // Scaled to about 4096 simulated entries: a cache of 4M flows samples one key in 1024,
        // so a loop of 100k keys is seen as about 100 sampled keys in a 4-entry simulation.
        AdaptiveAdmission a = new AdaptiveAdmission(4L << 20);
        loop(a, 100_000, 4 << 20, 3);
        assertThat(a.bimodal()).as("the loop fits the cache: the simulations agree").isFalse();
        loop(a, 100_000, 20_000, 10);
        assertThat(a.bimodal()).as("a loop 5x the cache, seen through the sample").isTrue();
    }
}
