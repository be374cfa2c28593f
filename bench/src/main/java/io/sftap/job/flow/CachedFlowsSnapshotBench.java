package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times the checkpoint's synchronous part for a full encoded state cache: the cached flows'
 * raw keyed state written by the task thread alone and with helper encoders, alternating, to a
 * null stream and to a local file; prints the median per variant (docs/performance.md).
 * Lives in the job's package to reach the package-private cache.
 * usage: CachedFlowsSnapshotBench [flows=8000000] [rounds=5] [dir=/tmp]
 */
public final class CachedFlowsSnapshotBench {
    private static final int KEY_GROUPS = 128;

    private CachedFlowsSnapshotBench() {
    }

    public static void main(String[] args) throws Exception {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 8_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir"));
        EncodedStateCache cache = fill(flows);
        int[] encoders = {0, CachedFlowsRawState.ENCODERS};
        Map<String, List<Long>> millis = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (boolean file : new boolean[] {false, true}) {
                for (int n : encoders) {
                    String variant = (file ? "file" : "null") + ", " + n + " encoders";
                    Path target = Files.createTempFile(dir, "sftap-snapshot-bench", ".raw");
                    long start = System.nanoTime();
                    long bytes;
                    try (OutputStream out = file
                            ? new BufferedOutputStream(new FileOutputStream(target.toFile()), 4096)
                            : OutputStream.nullOutputStream()) {
                        bytes = CachedFlowsRawState.write(cache.dirtyByKeyGroup(0, KEY_GROUPS), out, g -> { }, n);
                    }
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    Files.delete(target);
                    millis.computeIfAbsent(variant, v -> new ArrayList<>()).add(ms);
                    System.out.printf("round %d  %-20s %6d ms  %d MB%n", r + 1, variant, ms, bytes >> 20);
                }
            }
        }
        System.out.println("median ms over " + rounds + " rounds, " + flows + " flows:");
        millis.forEach((variant, ms) -> {
            long[] sorted = ms.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("  %-20s %6d  %s%n", variant, sorted[sorted.length / 2], Arrays.toString(sorted));
        });
    }

    /** A cache of {@code flows} dirty IPv4 flows, typical 46-byte states and some longer, a third rewritten longer later. */
    private static EncodedStateCache fill(int flows) throws Exception {
        EncodedStateCache cache = new EncodedStateCache(Long.MAX_VALUE / 4, (k, s, lacksTimer) -> { },
                key -> (int) ((FlowKeyHash.of(key) >>> 33) % KEY_GROUPS));
        SplittableRandom random = new SplittableRandom(1);
        List<FlowKey> keys = new ArrayList<>(flows);
        for (int i = 0; i < flows; i++) {
            FlowKey key = new FlowKey(0, 4, 6, new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i},
                    1024 + i % 60000, new byte[] {10, 9, 0, 1}, 80);
            cache.putDirty(key, new byte[random.nextInt(10) == 0 ? 60 + random.nextInt(60) : 46], EncodedStateCache.NO_DEADLINE);
            if (i % 3 == 0) {
                keys.add(key);
            }
        }
        for (FlowKey key : keys) { // as states grow, their arrays move away from their neighbours'
            cache.putDirty(key, new byte[50 + random.nextInt(20)], EncodedStateCache.NO_DEADLINE);
        }
        System.gc();
        return cache;
    }
}
