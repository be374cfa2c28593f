package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;

/** What the encoded-cache benchmarks share: a cache without a budget, distinct IPv4 flow keys, a typical state's size. */
final class EncodedCacheBenchFlows {
    /** Bytes of an open TCP flow's encoded state (layout 2). */
    static final int STATE_BYTES = 46;
    private static final int KEY_GROUPS = 64;

    private EncodedCacheBenchFlows() {
    }

    /** A cache that never evicts (the benchmarks fill it) and writes nothing to keyed state. */
    static EncodedStateCache unboundedCache() {
        return new EncodedStateCache(Long.MAX_VALUE / 4, (k, s, lacksTimer) -> { },
                key -> (int) ((FlowKeyHash.of(key) >>> 33) % KEY_GROUPS));
    }

    /** The {@code i}th flow's key, a new object each call, as the job deserializes each packet's key. */
    static FlowKey key(int i) {
        return new FlowKey(0, 4, 6, new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i},
                1024 + i % 60000, new byte[] {10, 9, 0, 1}, 80);
    }
}
