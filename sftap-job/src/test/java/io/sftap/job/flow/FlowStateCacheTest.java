package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.FlowKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow state cache keeps recently used flows and writes changed ones back on eviction and flush. */
class FlowStateCacheTest {
    final List<String> written = new ArrayList<>();
    final FlowStateCache.WriteBack recorder = (key, state) -> written.add(key.port1 + "@" + state.createdNanos);

    private static FlowKey flow(int port) {
        return new FlowKey(0, 4, 6, new byte[] {10, 0, 0, 1}, port, new byte[] {10, 0, 0, 2}, 80);
    }

    @Test
    void leastRecentlyUsedFlowIsEvictedFirst() throws Exception {
        FlowStateCache cache = new FlowStateCache(2, recorder);
        FlowState a = FlowState.open(1);
        cache.putClean(flow(1), a);
        cache.putClean(flow(2), FlowState.open(2));
        assertThat(cache.get(flow(1))).isSameAs(a); // flow 1 is now the most recent
        cache.putClean(flow(3), FlowState.open(3));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(flow(2))).isNull();
        assertThat(cache.get(flow(1))).isSameAs(a);
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(written).as("clean entries are dropped, not written").isEmpty();
    }

    @Test
    void evictedDirtyFlowIsWrittenBackWithItsLatestState() throws Exception {
        FlowStateCache cache = new FlowStateCache(2, recorder);
        cache.putClean(flow(1), FlowState.open(10));
        cache.putDirty(flow(1), FlowState.open(11));
        cache.putDirty(flow(2), FlowState.open(20));
        cache.putClean(flow(3), FlowState.open(30));
        cache.putClean(flow(4), FlowState.open(40));

        assertThat(written).containsExactly("1@11", "2@20");
        assertThat(cache.writeBacks()).isEqualTo(2);
    }

    @Test
    void flushWritesEveryDirtyFlowOnceAndKeepsThemCached() throws Exception {
        FlowStateCache cache = new FlowStateCache(8, recorder);
        cache.putDirty(flow(1), FlowState.open(1));
        cache.putClean(flow(2), FlowState.open(2));
        cache.putDirty(flow(3), FlowState.open(3));
        cache.flush();
        cache.flush();

        assertThat(written).containsExactlyInAnyOrder("1@1", "3@3");
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get(flow(3))).isNotNull();
    }

    @Test
    void stateHoldingMuchPayloadDoesNotFit() {
        FlowState small = FlowState.open(1);
        FlowState big = FlowState.open(1);
        big.addPending(new PendingData(io.sftap.source.wire.Direction.FROM_ENDPOINT1, 1,
                new byte[FlowStateCache.MAX_HELD_BYTES + 1]));
        assertThat(FlowStateCache.fits(small)).isTrue();
        assertThat(FlowStateCache.fits(big)).isFalse();
    }

    @Test
    void removedFlowIsNoLongerCachedNorWritten() throws Exception {
        FlowStateCache cache = new FlowStateCache(8, recorder);
        cache.putDirty(flow(1), FlowState.open(1));
        cache.remove(flow(1));
        cache.flush();
        assertThat(cache.get(flow(1))).isNull();
        assertThat(written).isEmpty();
    }

    @Test
    void flowThatLivedOnlyInTheCacheNeedsNoDeleteUntilItIsWrittenBack() throws Exception {
        FlowStateCache cache = new FlowStateCache(2, recorder);
        cache.putNew(flow(1), FlowState.open(1));
        cache.putDirty(flow(1), FlowState.open(2));
        assertThat(cache.forget(flow(1))).as("never written").isFalse();

        cache.putNew(flow(2), FlowState.open(1));
        cache.flush();
        assertThat(cache.forget(flow(2))).as("written by the flush").isTrue();

        cache.putNew(flow(3), FlowState.open(1));
        cache.putNew(flow(4), FlowState.open(1));
        cache.putNew(flow(5), FlowState.open(1));
        assertThat(written).contains("3@1");
        assertThat(cache.forget(flow(3))).as("written on eviction").isTrue();
        assertThat(cache.forget(flow(9))).as("unknown to the cache").isTrue();

        cache.putDirty(flow(6), FlowState.open(1));
        assertThat(cache.forget(flow(6))).as("keyed state may hold an older state").isTrue();
    }

    @Test
    void putAfterGetOfTheSameKeyStillWorksOnceThatKeyWasForgottenOrEvicted() throws Exception {
        FlowStateCache cache = new FlowStateCache(1, recorder);
        FlowKey one = flow(1);
        cache.putClean(one, FlowState.open(1));
        assertThat(cache.get(one)).isNotNull();
        cache.forget(one);
        FlowState reopened = FlowState.open(2);
        cache.putNew(one, reopened);
        assertThat(cache.get(one)).as("re-added after forget").isSameAs(reopened);

        cache.putNew(flow(2), FlowState.open(3)); // evicts flow 1, written back (dirty)
        FlowState again = FlowState.open(4);
        cache.putDirty(one, again);
        assertThat(cache.get(one)).as("re-added after eviction").isSameAs(again);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(written).containsExactly("1@2", "2@3");
    }

    @Test
    void flushWhileTheGateIsClosedWritesDirtyFlowsBackAndEmptiesTheCache() throws Exception {
        FlowStateCache cache = new FlowStateCache(8, recorder);
        cache.putDirty(flow(1), FlowState.open(1));
        cache.putClean(flow(2), FlowState.open(2));
        cache.putEphemeral(flow(3), FlowState.open(3));
        for (int round = 0; round < 100 && cache.admitting(); round++) {
            for (int port = 100; port < 200; port++) { // a round robin over more flows than it holds
                cache.get(flow(port), FlowKeyHash.of(flow(port)));
            }
        }
        assertThat(cache.admitting()).isFalse();

        cache.flush();

        assertThat(written).containsExactly("1@1");
        assertThat(cache.size()).isZero();
        assertThat(cache.get(flow(1))).isNull();
        assertThat(cache.contains(flow(2))).isFalse();
    }

    @Test
    void flushWhileTheGateIsOpenKeepsTheFlows() throws Exception {
        FlowStateCache cache = new FlowStateCache(8, recorder);
        cache.putDirty(flow(1), FlowState.open(1));
        for (int i = 0; i < 20_000; i++) { // lookups the cache serves
            cache.get(flow(1), FlowKeyHash.of(flow(1)));
        }
        assertThat(cache.admitting()).isTrue();

        cache.flush();

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.contains(flow(1))).isTrue();
    }
}
