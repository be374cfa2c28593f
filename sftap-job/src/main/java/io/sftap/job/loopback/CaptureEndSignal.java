package io.sftap.job.loopback;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a replay's loopback reader that every capture subtask reached the end of its files
 * (JVM-local: it works where the capture and the loopback run in one JVM, as in {@code sftap run};
 * elsewhere the loopback never hears it and stays open like a live one).
 *
 * <p>A token, made per job graph, pairs the {@link CaptureEndMarker}s with their loopback source.
 */
public final class CaptureEndSignal {
    private static final Map<String, Set<Integer>> FINISHED = new ConcurrentHashMap<>();
    private static final Map<String, Integer> EXPECTED = new ConcurrentHashMap<>();

    private CaptureEndSignal() {}

    /** Capture subtask {@code subtask} of {@code parallelism} finished its input. */
    static void arrive(String token, int subtask, int parallelism) {
        EXPECTED.put(token, parallelism);
        FINISHED.computeIfAbsent(token, t -> ConcurrentHashMap.newKeySet()).add(subtask);
    }

    /** Whether every capture subtask of {@code token} finished. */
    public static boolean ended(String token) {
        Integer expected = EXPECTED.get(token);
        Set<Integer> done = FINISHED.get(token);
        return expected != null && done != null && done.size() >= expected;
    }

    /** Forgets {@code token} (the loopback reader closed). */
    static void forget(String token) {
        FINISHED.remove(token);
        EXPECTED.remove(token);
    }
}
