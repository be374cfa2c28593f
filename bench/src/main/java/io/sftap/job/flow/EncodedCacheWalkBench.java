package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.Arrays;

/**
 * Times the encoded state cache's timer walk when flows idle out all the time (a scan, lost FINs):
 * every flow is kept without a timer, their deadlines are spread over one second, and each walk
 * comes 1 ms of event time after the last, so each finds a thousandth of the flows due, arms them
 * and reads every entry's deadline. Prints milliseconds per walk and nanoseconds per entry, each
 * round and their median (docs/performance.md section 22). Lives in the job's package to reach the
 * package-private cache. The armed flows' states are handed back unchanged (no timer service).
 * usage: EncodedCacheWalkBench [flows (default 5000000)] [rounds (default 5)]
 */
public final class EncodedCacheWalkBench {
    /** Deadlines spread over this many milliseconds; a walk each millisecond arms one slice. */
    private static final int SPREAD_MILLIS = 1000;
    private static final int WALKS_PER_ROUND = 20;

    private EncodedCacheWalkBench() {
    }

    public static void main(String[] args) throws Exception {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        EncodedStateCache cache = EncodedCacheBenchFlows.unboundedCache();
        byte[] state = new byte[EncodedCacheBenchFlows.STATE_BYTES];
        long[] armed = new long[1];
        EncodedStateCache.Timers timers = new EncodedStateCache.Timers() {
            @Override
            public long deadline(byte[] page, int offset, int length) {
                throw new IllegalStateException("every deadline is known");
            }

            @Override
            public byte[] arm(FlowKey key, byte[] page, int offset, int length) {
                armed[0]++;
                return Arrays.copyOfRange(page, offset, offset + length);
            }
        };
        double[] millis = new double[rounds];
        long watermark = 0;
        for (int r = 0; r < rounds; r++) {
            // Refill: every flow again without a timer, deadlines after the next walk.
            long base = watermark + 1;
            for (int i = 0; i < flows; i++) {
                cache.putDirty(EncodedCacheBenchFlows.key(i), state, base + i % SPREAD_MILLIS);
            }
            long armedBefore = armed[0];
            long start = System.nanoTime();
            for (int w = 0; w < WALKS_PER_ROUND; w++) {
                cache.armTimersDueBy(++watermark, timers);
            }
            millis[r] = (System.nanoTime() - start) / 1e6 / WALKS_PER_ROUND;
            System.out.printf("round %d: %.2f ms a walk (%.2f ns an entry), %d flows armed a walk%n",
                    r + 1, millis[r], millis[r] * 1e6 / flows, (armed[0] - armedBefore) / WALKS_PER_ROUND);
        }
        Arrays.sort(millis);
        System.out.printf("%,d flows: median %.2f ms a walk, %.2f ns an entry%n",
                flows, millis[rounds / 2], millis[rounds / 2] * 1e6 / flows);
    }

}
