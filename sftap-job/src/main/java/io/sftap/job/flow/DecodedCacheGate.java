package io.sftap.job.flow;

/**
 * Whether the decoded {@link FlowStateCache} takes in the flows it misses: only while a miniature
 * LRU of its size, run on a sample of the keys, predicts that at least {@value #MIN_HIT_PERCENT}%
 * of lookups would hit.
 *
 * <p>A decoded hit saves a decode and an encode; a flow taken in and evicted before it is asked for
 * again costs an insert, an eviction and a second lookup in the {@link EncodedStateCache} for
 * nothing. With more open flows than the cache holds, visited in turn (millions of open sessions),
 * an LRU hits nothing, and the flows then go straight between the encoded cache and the processor.
 * The simulation sees every sampled lookup whether the cache admits or not, so the cache comes back
 * as soon as recency pays again (Waldspurger et al., USENIX ATC 2017, for the sampled simulation).
 */
final class DecodedCacheGate {
    /** Keys the simulation aims to hold. */
    static final int SIMULATED_ENTRIES = 1024;
    /** Sampled lookups per verdict. */
    static final int WINDOW = 4096;
    static final int MIN_HIT_PERCENT = 20;

    private final KeySample sample;
    private final int simulatedCapacity;
    private final SimulatedLru lru = new SimulatedLru(false);
    private int lookups;
    private int hits;
    private boolean admitting = true;
    private long verdicts;

    /** A gate for a cache of {@code capacity} flows. */
    DecodedCacheGate(int capacity) {
        this.sample = new KeySample(capacity, SIMULATED_ENTRIES);
        this.simulatedCapacity = sample.scaled(capacity);
    }

    /** Plays a lookup of the key with this hash, if it is in the sample; every window gives a verdict. */
    void lookedUp(long keyHash) {
        if (!sample.contains(keyHash)) {
            return;
        }
        if (lru.lookUp(keyHash, simulatedCapacity)) {
            hits++;
        }
        if (++lookups == WINDOW) {
            admitting = hits * 100L >= (long) WINDOW * MIN_HIT_PERCENT;
            verdicts++;
            lookups = 0;
            hits = 0;
        }
    }

    /** Whether the cache takes in what it misses now (true until the first verdict). */
    boolean admitting() {
        return admitting;
    }

    /** Windows judged so far. */
    long verdicts() {
        return verdicts;
    }
}
