package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The decoded cache stops taking in flows while an LRU of its size would not hit, and resumes when it would. */
class DecodedCacheGateTest {
    private static final long[] HASHES = new SplittableRandom(5).longs(200_000).toArray();

    /** Visits the first {@code keys} keys in turn for {@code lookups} lookups. */
    private static void loop(DecodedCacheGate gate, int keys, int lookups) {
        for (int i = 0; i < lookups; i++) {
            gate.lookedUp(HASHES[i % keys]);
        }
    }

    @Test
    void admitsUntilItsFirstVerdict() {
        DecodedCacheGate gate = new DecodedCacheGate(16);
        loop(gate, 1000, DecodedCacheGate.WINDOW - 1);
        assertThat(gate.verdicts()).isZero();
        assertThat(gate.admitting()).isTrue();
    }

    @Test
    void closesUnderARoundRobinOfMoreFlowsThanItHolds() {
        DecodedCacheGate gate = new DecodedCacheGate(16);
        loop(gate, 1000, DecodedCacheGate.WINDOW);
        assertThat(gate.verdicts()).isEqualTo(1);
        assertThat(gate.admitting()).isFalse();
    }

    @Test
    void staysOpenWhileTheFlowsFitAndReopensWhenTheyFitAgain() {
        DecodedCacheGate gate = new DecodedCacheGate(16);
        loop(gate, 12, 3 * DecodedCacheGate.WINDOW);
        assertThat(gate.admitting()).isTrue();
        loop(gate, 1000, 3 * DecodedCacheGate.WINDOW);
        assertThat(gate.admitting()).isFalse();
        loop(gate, 12, 3 * DecodedCacheGate.WINDOW);
        assertThat(gate.admitting()).isTrue();
    }

    @Test
    void aLargeCacheJudgesOnASampleOfTheKeysScaledToItsSize() {
        // 16384 entries: 1 key in 16 is sampled, into a simulation of 1024.
        DecodedCacheGate gate = new DecodedCacheGate(16_384);
        loop(gate, 10_000, 40 * DecodedCacheGate.WINDOW * 16);
        assertThat(gate.verdicts()).isGreaterThan(10);
        assertThat(gate.admitting()).as("10k flows fit in 16k").isTrue();
        loop(gate, 200_000, 2 * 200_000);
        assertThat(gate.admitting()).as("200k flows in turn do not").isFalse();
    }
}
