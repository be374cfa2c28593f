package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Times the encoded state cache's hit path as the flow abstractor takes it for a packet of a flow
 * the cache holds (look up, then put the updated state back, in place), over flows visited in
 * random order so that, as with millions of open flows, nearly every visit misses the CPU caches
 * (each visit's key is a new object, as the job deserializes it from the packet); prints nanoseconds per visit, each round and their median (docs/performance.md). Lives in the
 * job's package to reach the package-private cache.
 * usage: EncodedCacheHitBench [flows (default 5000000)] [rounds (default 5)]
 */
public final class EncodedCacheHitBench {
    private static final int VISITS = 5_000_000;

    private EncodedCacheHitBench() {
    }

    public static void main(String[] args) throws Exception {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        EncodedStateCache cache = EncodedCacheBenchFlows.unboundedCache();
        byte[] state = new byte[EncodedCacheBenchFlows.STATE_BYTES];
        for (int i = 0; i < flows; i++) {
            cache.putDirty(EncodedCacheBenchFlows.key(i), state, EncodedStateCache.NO_DEADLINE);
        }
        SplittableRandom random = new SplittableRandom(7);
        int[] order = new int[VISITS];
        for (int i = 0; i < VISITS; i++) {
            order[i] = random.nextInt(flows);
        }
        double[] nanos = new double[rounds];
        long found = 0;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < VISITS; i++) {
                FlowKey key = EncodedCacheBenchFlows.key(order[i]); // a new object, as the job deserializes each packet's key
                long hash = FlowKeyHash.of(key);
                byte[] s = cache.get(key);
                found += s.length;
                s[0]++;
                cache.putDirty(key, hash, s, EncodedStateCache.NO_DEADLINE);
            }
            nanos[r] = (System.nanoTime() - start) / (double) VISITS;
            System.out.printf("round %d: %.1f ns a visit%n", r + 1, nanos[r]);
        }
        Arrays.sort(nanos);
        System.out.printf("%,d flows: median %.1f ns a visit (look up and put back in place), %d bytes seen%n",
                flows, nanos[rounds / 2], found);
    }

}
