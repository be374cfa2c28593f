package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.FlowKey;
import org.junit.jupiter.api.Test;

/** The flow state cache keeps the most recently used small states and counts hits and misses. */
class FlowStateCacheTest {

    private static FlowKey flow(int port) {
        return new FlowKey(0, 4, 6, new byte[] {10, 0, 0, 1}, port, new byte[] {10, 0, 0, 2}, 80);
    }

    @Test
    void leastRecentlyUsedFlowIsEvictedFirst() {
        FlowStateCache cache = new FlowStateCache(2);
        FlowState a = FlowState.open(1);
        FlowState b = FlowState.open(2);
        cache.put(flow(1), a, 10);
        cache.put(flow(2), b, 10);
        assertThat(cache.get(flow(1))).isSameAs(a); // flow 1 is now the most recent
        cache.put(flow(3), FlowState.open(3), 10);

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(flow(2))).isNull();
        assertThat(cache.get(flow(1))).isSameAs(a);
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void largeStateIsNotKeptAndDropsItsOlderCopy() {
        FlowStateCache cache = new FlowStateCache(8);
        cache.put(flow(1), FlowState.open(1), 100);
        cache.put(flow(1), FlowState.open(2), FlowStateCache.MAX_CACHED_BYTES + 1);
        assertThat(cache.get(flow(1))).isNull();
        cache.put(flow(1), FlowState.open(3), FlowStateCache.MAX_CACHED_BYTES);
        assertThat(cache.get(flow(1))).isNotNull();
    }

    @Test
    void removedFlowIsNoLongerCached() {
        FlowStateCache cache = new FlowStateCache(8);
        cache.put(flow(1), FlowState.open(1), 100);
        cache.remove(flow(1));
        assertThat(cache.get(flow(1))).isNull();
        assertThat(cache.size()).isZero();
    }
}
