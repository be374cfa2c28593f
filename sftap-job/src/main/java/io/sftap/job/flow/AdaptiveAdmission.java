package io.sftap.job.flow;

/**
 * Whether a full cache takes in a new flow: always (LRU), or one new flow in
 * {@value #BIMODAL_ONE_IN} (bimodal), whichever misses less in two miniature simulations run on a
 * sample of the keys (Qureshi et al., ISCA 2007, for the bimodal policy; Waldspurger et al.,
 * USENIX ATC 2017, for the sampled simulation).
 *
 * <p>LRU is best when flows come back before the cache turned over. When more flows are visited
 * in turn than it holds, LRU evicts each flow just before it is asked for again and hits nothing;
 * refusing most newcomers keeps the flows held, which then hit. A fixed share of the key space,
 * chosen by hash, is looked up in two small LRU lists scaled down by the same share, one per
 * policy; a saturating counter follows which of them hits where the other misses. So the cache
 * turns bimodal under a scan, and back when recency pays again.
 */
final class AdaptiveAdmission {
    static final int BIMODAL_ONE_IN = 32;
    /** Keys the simulations aim to hold: enough for their miss ratios to follow the real cache's. */
    static final int SIMULATED_ENTRIES = 4096;
    static final int SELECTOR_MAX = 1023;
    private static final int SELECTOR_MID = SELECTOR_MAX / 2;

    private final KeySample sample;
    private final SimulatedLru lru = new SimulatedLru(false);
    private final SimulatedLru bimodalLru = new SimulatedLru(true);
    /** Up when only the bimodal simulation hit, down when only the LRU one did. */
    private int selector = SELECTOR_MID;
    private int bimodalTicks;

    /** A policy for a cache of about {@code expectedEntries} flows. */
    AdaptiveAdmission(long expectedEntries) {
        this.sample = new KeySample(expectedEntries, SIMULATED_ENTRIES);
    }

    /** Whether the key with this hash is in the simulations' sample. */
    boolean samples(long keyHash) {
        return sample.contains(keyHash);
    }

    /** Plays a lookup of the key with this hash in both simulations, if the key is in the sample. */
    void lookedUp(long keyHash, long cacheEntries) {
        if (!samples(keyHash)) {
            return;
        }
        int capacity = sample.scaled(cacheEntries);
        boolean lruHit = lru.lookUp(keyHash, capacity);
        boolean bimodalHit = bimodalLru.lookUp(keyHash, capacity);
        if (bimodalHit && !lruHit) {
            selector = Math.min(SELECTOR_MAX, selector + 1);
        } else if (lruHit && !bimodalHit) {
            selector = Math.max(0, selector - 1);
        }
    }

    /** Whether a full cache takes in a new flow now. */
    boolean admit() {
        return !bimodal() || ++bimodalTicks % BIMODAL_ONE_IN == 0;
    }

    /** Whether the bimodal policy is the one that misses less lately. */
    boolean bimodal() {
        return selector > SELECTOR_MID;
    }
}
