package io.sftap.bench.e2e;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this process's threads by name, Java and native alike (RocksDB's compaction and
 * flush threads are native), read from {@code /proc/self/task}: where a run's CPU went. A thread
 * keeps the time of its last sample after it ends, so sample while the run goes on.
 */
final class ThreadCpu {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux
    /** Latest CPU ticks and name per thread id. */
    private final Map<String, Long> ticks = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();

    /** Reads every thread's CPU time now; does nothing where /proc is missing. */
    synchronized void sample() {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                // "tid (name) state ..." where the name may hold spaces and parentheses.
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String[] fields = stat.substring(close + 2).split(" ");
                long utime = Long.parseLong(fields[11]);
                long stime = Long.parseLong(fields[12]);
                String tid = task.getFileName().toString();
                ticks.put(tid, utime + stime);
                names.put(tid, stat.substring(open + 1, close));
            }
        } catch (IOException | RuntimeException notLinux) {
            // no per-thread figures then
        }
    }

    /** CPU seconds by thread name, numbered threads ({@code GC Thread#3}) summed, largest first. */
    synchronized Map<String, Double> secondsByName() {
        Map<String, Long> byName = new HashMap<>();
        ticks.forEach((tid, t) -> byName.merge(names.get(tid).replaceAll("[0-9]+", "#"), t, Long::sum));
        return byName.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / TICKS_PER_SECOND,
                        (a, b) -> a, LinkedHashMap::new));
    }

    /** The threads that took at least {@code minSeconds}, as {@code name=12.3s} words. */
    String summary(double minSeconds) {
        return secondsByName().entrySet().stream()
                .filter(e -> e.getValue() >= minSeconds)
                .map(e -> e.getKey() + "=" + String.format("%.1fs", e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
