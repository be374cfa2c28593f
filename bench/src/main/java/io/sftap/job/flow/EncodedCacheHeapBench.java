package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.SplittableRandom;

/**
 * Measures the heap the encoded state cache takes per flow against its own estimate ({@link
 * EncodedStateCache#usedBytes}), for IPv4 flows with the typical 46-byte states, a tenth longer,
 * and a third of them later rewritten longer (so records move and groups are compacted);
 * prints one line per size (docs/performance.md). Lives in the job's package to reach the
 * package-private cache. usage: EncodedCacheHeapBench [flows...] (default 700000 1000000 6000000)
 */
public final class EncodedCacheHeapBench {
    private static final int KEY_GROUPS = 64;

    private EncodedCacheHeapBench() {
    }

    public static void main(String[] args) throws Exception {
        String[] sizes = args.length > 0 ? args : new String[] {"700000", "1000000", "6000000"};
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (String size : sizes) {
            int flows = Integer.parseInt(size);
            long before = heapAfterGc(memory);
            EncodedStateCache cache = fill(flows);
            long after = heapAfterGc(memory);
            System.out.printf("%,d flows: measured %.1f bytes a flow, estimated %.1f; %d records moved, %d compactions%n",
                    flows, (after - before) / (double) flows, cache.usedBytes() / (double) cache.size(),
                    cache.relocations(), cache.compactions());
        }
    }

    private static EncodedStateCache fill(int flows) throws Exception {
        EncodedStateCache cache = new EncodedStateCache(Long.MAX_VALUE / 4, (k, s, lacksTimer) -> { },
                key -> (int) ((FlowKeyHash.of(key) >>> 33) % KEY_GROUPS));
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < flows; i++) {
            cache.putDirty(key(i), new byte[random.nextInt(10) == 0 ? 60 + random.nextInt(60) : 46], EncodedStateCache.NO_DEADLINE);
        }
        for (int i = 0; i < flows; i += 3) {
            cache.putDirty(key(i), new byte[50 + random.nextInt(20)], EncodedStateCache.NO_DEADLINE);
        }
        return cache;
    }

    private static FlowKey key(int i) {
        return new FlowKey(0, 4, 6, new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i},
                1024 + i % 60000, new byte[] {10, 9, 0, 1}, 80);
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
