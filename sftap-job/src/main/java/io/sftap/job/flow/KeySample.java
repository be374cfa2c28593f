package io.sftap.job.flow;

/**
 * A fixed share of the flow key space, chosen by {@link FlowKeyHash}, that a miniature cache
 * simulation sees: sized so that about {@code simulatedEntries} of a cache's {@code expectedEntries}
 * flows fall in it, and the simulation is the real cache scaled down by the same share.
 */
final class KeySample {
    private static final long SPACE = 1L << 24;

    private final long below;

    /** A sample holding about {@code simulatedEntries} of {@code expectedEntries} keys (all if fewer). */
    KeySample(long expectedEntries, int simulatedEntries) {
        this.below = Math.max(1, Math.min(SPACE, SPACE * simulatedEntries / Math.max(1, expectedEntries)));
    }

    /** Whether the key with this hash is in the sample. */
    boolean contains(long keyHash) {
        // Bits above those hash tables use, so the sample is independent of table slots.
        return ((keyHash >>> 40) & (SPACE - 1)) < below;
    }

    /** A cache of {@code entries} flows scaled down to the sample (at least 1). */
    int scaled(long entries) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, entries * below / SPACE));
    }
}
