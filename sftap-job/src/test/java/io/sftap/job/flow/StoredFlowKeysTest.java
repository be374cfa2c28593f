package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The new-flow filter: never denies a stored key, spares reads of unseen ones, and stays bounded. */
class StoredFlowKeysTest {
    /** 1024 bits: switches off after about 230 keys. */
    static final int SMALL = 10;

    static FlowKey key(int i) {
        return new FlowKey(0, 4, IpProtocols.TCP, new byte[] {10, 0, (byte) (i >>> 8), (byte) i}, 1024 + (i & 0x3ff),
                new byte[] {10, 1, 0, 1}, 80);
    }

    /** A filter started as the operator starts it: filled from what the backend holds. */
    static StoredFlowKeys startedOn(List<FlowKey> backend, int bitsLog2) throws Exception {
        StoredFlowKeys filter = new StoredFlowKeys(bitsLog2);
        filter.fill(action -> {
            for (FlowKey k : backend) {
                if (!action.test(k)) {
                    return;
                }
            }
        });
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

    static FlowKey client(int lastByte, int port) {
        return new FlowKey(0, 4, IpProtocols.TCP, new byte[] {10, 0, 0, (byte) lastByte}, port, new byte[] {10, 1, 0, 1}, 80);
    }

    @Test
    void fillReadsTheKeysTheBackendHolds() throws Exception {
        StoredFlowKeys filter = startedOn(List.of(key(1), key(2)), 16);
        assertThat(filter.mightContain(key(1))).isTrue();
        assertThat(filter.mightContain(key(2))).isTrue();
        assertThat(filter.filled()).isEqualTo(2);
        assertThat(filter.enabled()).isTrue();
    }

    @Test
    void filterSwitchesOffWhenHalfFullAndThenReadsEverything() throws Exception {
        StoredFlowKeys filter = startedOn(List.of(), SMALL);
        int added = 0;
        while (filter.enabled()) {
            filter.add(key(added++));
        }
        assertThat(added).isBetween(150, 400);
        for (int i = 0; i < 2000; i++) {
            assertThat(filter.mightContain(key(i))).isTrue();
        }
    }

    @Test
    void fillStopsReadingOnceTheFilterIsOff() throws Exception {
        List<FlowKey> backend = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            backend.add(key(i));
        }
        StoredFlowKeys filter = startedOn(backend, SMALL);
        assertThat(filter.enabled()).isFalse();
        assertThat(filter.filled()).as("keys read before it stopped").isLessThan(1000);
    }
}
