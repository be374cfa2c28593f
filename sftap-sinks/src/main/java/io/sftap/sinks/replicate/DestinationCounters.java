package io.sftap.sinks.replicate;

/**
 * Counters of one (forwarding rule, collector) pair. {@link #dropped} is called from the task
 * thread, the others from the destination's sender thread; each counter has one writer.
 */
public interface DestinationCounters {
    /** A copy left us: {@code bytes} of UDP payload. */
    void sent(int bytes);

    /** A copy the kernel refused, or a destination we could not open. */
    void error();

    /** A copy not sent because the destination's queue was full. */
    void dropped();
}
