package io.sftap.bench.e2e;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Samples the process while a run goes on: peak heap in use, peak live heap (old generation after
 * a collection), peak size of a state directory on disk, CPU time per thread; peak RSS comes from
 * the kernel (VmHWM).
 */
final class ResourceSampler implements AutoCloseable {
    private final Path stateDir;
    private final Thread thread;
    private volatile boolean running = true;
    volatile long peakHeapUsed;
    volatile long peakLiveHeap;
    private final java.util.Set<String> heapPools = new java.util.HashSet<>();
    volatile long peakStateBytes;
    final ThreadCpu threads = new ThreadCpu();

    ResourceSampler(Path stateDir) {
        this.stateDir = stateDir;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(this::afterGc, null, null);
        }
        this.thread = new Thread(this::loop, "bench-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        int tick = 0;
        while (running) {
            sample(tick++ % 8 == 0);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Heap in use right after a collection: the live set (plus what the collection left). */
    private void afterGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long live = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed())
                .sum();
        synchronized (this) {
            peakLiveHeap = Math.max(peakLiveHeap, live);
        }
    }

    private void sample(boolean disk) {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        peakHeapUsed = Math.max(peakHeapUsed, used);
        if (disk && stateDir != null) {
            peakStateBytes = Math.max(peakStateBytes, size(stateDir));
        }
        if (disk) {
            threads.sample();
        }
    }

    static long size(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException racing) {
            return 0;
        }
    }

    /** Peak resident set size of this process in bytes (Linux VmHWM), or -1. */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        sample(true);
        running = false;
        thread.interrupt();
        thread.join();
    }
}
