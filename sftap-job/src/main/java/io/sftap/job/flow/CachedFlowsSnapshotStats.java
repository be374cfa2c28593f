package io.sftap.job.flow;

/** What the last snapshot took from the encoded state cache: flows, bytes and milliseconds. */
final class CachedFlowsSnapshotStats {
    private volatile long flows;
    private volatile long bytes;
    private volatile long millis;

    void taken(long flowsWritten, long bytesWritten, long tookMillis) {
        flows = flowsWritten;
        bytes = bytesWritten;
        millis = tookMillis;
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
}
