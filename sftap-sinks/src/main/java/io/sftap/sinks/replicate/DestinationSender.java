package io.sftap.sinks.replicate;

import java.io.IOException;

/** Sends copies to one collector; used by that collector's sender thread only. */
public interface DestinationSender extends AutoCloseable {
    /** Sends one copy of {@code r} to {@code target}. */
    void send(Replica r, ReplicaTarget target) throws IOException;

    @Override
    void close();

    /** Opens the sender of one destination. */
    @FunctionalInterface
    interface Factory {
        DestinationSender open(ReplicaTarget target) throws IOException;
    }
}
