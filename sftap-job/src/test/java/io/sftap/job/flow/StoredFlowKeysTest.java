package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The new-flow filter: never denies a stored key, spares reads of unseen ones, and stays bounded. */
class StoredFlowKeysTest {
    /** 1024 bits: holds about 85 keys well. */
    static final int SMALL = 10;

    static FlowKey key(int i) {
        return new FlowKey(0, 4, IpProtocols.TCP, new byte[] {10, 0, (byte) (i >>> 8), (byte) i}, 1024 + (i & 0x3ff),
                new byte[] {10, 1, 0, 1}, 80);
    }

    /** A filter started as the operator starts it: filled from what the backend holds. */
    static StoredFlowKeys startedOn(List<FlowKey> backend, int bitsLog2) throws Exception {
        StoredFlowKeys filter = new StoredFlowKeys(bitsLog2, backend::forEach);
        filter.rebuild();
        return filter;
    }

    @Test
    void addedKeysAreAlwaysMaybeStoredAndMostOthersAreNot() throws Exception {
        StoredFlowKeys filter = startedOn(List.of(), 16);
        for (int i = 0; i < 1000; i++) {
            filter.add(key(i));
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(filter.mightContain(key(i))).as("key %d", i).isTrue();
        }
        int falsePositives = 0;
        for (int i = 1000; i < 11000; i++) {
            falsePositives += filter.mightContain(key(i)) ? 1 : 0;
        }
        assertThat(falsePositives).as("false positives of 10000").isLessThan(100);
        assertThat(filter.skippedReads()).isEqualTo(10000 - falsePositives);
    }

    @Test
    void rebuildReadsTheKeysTheBackendHolds() throws Exception {
        List<FlowKey> backend = new ArrayList<>(List.of(key(1), key(2)));
        StoredFlowKeys filter = startedOn(backend, 16);
        assertThat(filter.mightContain(key(1))).isTrue();
        assertThat(filter.mightContain(key(2))).isTrue();
        assertThat(filter.estimatedKeys()).isEqualTo(2);
    }

    @Test
    void fullFilterIsRebuiltFromTheBackendWhenFewKeysRemain() throws Exception {
        List<FlowKey> backend = new ArrayList<>();
        StoredFlowKeys filter = startedOn(backend, SMALL);
        for (int i = 0; i < 200; i++) {
            backend.add(key(i));
            filter.add(key(i));
            backend.remove(key(i)); // deleted right away: the backend stays nearly empty
            filter.removed();
        }
        assertThat(filter.rebuilds()).isGreaterThan(1);
        assertThat(filter.enabled()).isTrue();
        assertThat(filter.mightContain(key(199))).isTrue();
    }

    @Test
    void filterSwitchesOffWhenTheBackendHoldsMoreKeysThanItCanTell() throws Exception {
        List<FlowKey> backend = new ArrayList<>();
        StoredFlowKeys filter = startedOn(backend, SMALL);
        for (int i = 0; i < 200; i++) {
            backend.add(key(i));
            filter.add(key(i));
        }
        assertThat(filter.enabled()).isFalse();
        for (int i = 0; i < 400; i++) {
            assertThat(filter.mightContain(key(i))).isTrue();
        }
    }
}
