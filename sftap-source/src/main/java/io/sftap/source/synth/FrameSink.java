package io.sftap.source.synth;

/** Receives synthesized Ethernet frames with their capture time. */
@FunctionalInterface
public interface FrameSink {
    void frame(long timestampNanos, byte[] frame);
}
