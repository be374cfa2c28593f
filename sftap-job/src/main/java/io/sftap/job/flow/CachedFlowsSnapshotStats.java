package io.sftap.job.flow;

/**
 * What snapshots took from the encoded state cache: the last one's flows, bytes and milliseconds,
 * the largest, and the milliseconds of all (the task waits for each: it is the checkpoint's
 * synchronous part).
 */
final class CachedFlowsSnapshotStats {
    private volatile long flows;
    private volatile long bytes;
    private volatile long millis;
    private volatile long maxBytes;
    private volatile long maxMillis;
    private volatile long totalMillis;

    /** Written by the task thread only; gauges read it from the reporter's. */
    void taken(long flowsWritten, long bytesWritten, long tookMillis) {
        flows = flowsWritten;
        bytes = bytesWritten;
        millis = tookMillis;
        maxBytes = Math.max(maxBytes, bytesWritten);
        maxMillis = Math.max(maxMillis, tookMillis);
        totalMillis = totalMillis + tookMillis;
    }

    long flows() {
        return flows;
    }

    long bytes() {
        return bytes;
    }

    long millis() {
        return millis;
    }

    long maxBytes() {
        return maxBytes;
    }

    long maxMillis() {
        return maxMillis;
    }

    long totalMillis() {
        return totalMillis;
    }
}
