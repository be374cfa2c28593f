package io.sftap.sinks.replicate;

import java.io.Serializable;
import java.time.Duration;

/** Limits of the replicator's sending side. */
public final class ReplicatorSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies queued per collector before new ones are dropped. */
    public final int queueCapacity;
    /** A collector no rule has used for this long loses its channel (thread and socket). */
    public final Duration idleClose;
    /** SO_SNDBUF of each collector's socket; 0 keeps the kernel's default. */
    public final int sendBufferBytes;

    public ReplicatorSettings(int queueCapacity, Duration idleClose, int sendBufferBytes) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
        this.idleClose = idleClose;
        this.sendBufferBytes = sendBufferBytes;
    }

    public static ReplicatorSettings defaults() {
        return new ReplicatorSettings(16384, Duration.ofMinutes(5), 4 << 20);
    }
}
