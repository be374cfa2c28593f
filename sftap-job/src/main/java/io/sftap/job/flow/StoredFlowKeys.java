package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A Bloom filter of the flow keys keyed state may hold, so that a packet of a flow keyed state has
 * never seen (every new flow's first packet) skips the state backend's read: for RocksDB, a JNI
 * call, a key serialization and a memtable and Bloom lookup that finds nothing.
 *
 * <p>Invariant: every key written to keyed state is {@link #add added} before or right after the
 * write, before any read of it; keys restored from a checkpoint or savepoint are added from the
 * backend's key list ({@link #rebuild}). A deleted key stays in the filter (only a false positive,
 * which costs the read it would have cost anyway). When more keys were added than the filter holds
 * well, it is rebuilt from the backend's keys, or switched off for good if the backend holds too
 * many: then every miss reads keyed state, as without the filter.
 */
final class StoredFlowKeys {
    /** Bits of the default filter: 8 MiB, about 12 bits per key at {@link #capacityKeys}. */
    static final int DEFAULT_BITS_LOG2 = 26;

    private static final int PROBES = 3;

    private final long[] words;
    private final int mask;
    private final long capacityKeys;
    /** Lists the keys keyed state holds now, for a rebuild. */
    @FunctionalInterface
    interface KeyLister {
        void forEachStoredKey(Consumer<FlowKey> action) throws Exception;
    }

    private final KeyLister storedKeys;
    private long addedSinceRebuild;
    /** Keys added that the filter did not hold yet, less deletes: an estimate of the stored keys. */
    private long storedEstimate;
    private boolean enabled = true;
    private long rebuilds;
    private long skippedReads;

    StoredFlowKeys(int bitsLog2, KeyLister storedKeys) {
        this.words = new long[1 << (bitsLog2 - 6)];
        this.mask = (1 << bitsLog2) - 1;
        this.capacityKeys = (1L << bitsLog2) / 12;
        this.storedKeys = storedKeys;
    }

    /** False when keyed state certainly holds nothing for {@code key}. */
    boolean mightContain(FlowKey key) {
        if (!enabled) {
            return true;
        }
        long h = hash(key);
        for (int i = 0; i < PROBES; i++) {
            int bit = probe(h, i);
            if ((words[bit >>> 6] & (1L << bit)) == 0) {
                skippedReads++;
                return false;
            }
        }
        return true;
    }

    /** Records that keyed state holds (or is about to hold) {@code key}. */
    void add(FlowKey key) throws Exception {
        if (!enabled) {
            return;
        }
        if (++addedSinceRebuild > capacityKeys) {
            if (storedEstimate > capacityKeys / 2) {
                enabled = false; // too many live keys for this filter: reads as before
                return;
            }
            rebuild();
        }
        if (set(key)) {
            storedEstimate++;
        }
    }

    /** Records a delete from keyed state (the filter keeps the bits; the estimate drops). */
    void removed() {
        if (storedEstimate > 0) {
            storedEstimate--;
        }
    }

    /** Forgets everything and adds the keys keyed state holds now. */
    void rebuild() throws Exception {
        Arrays.fill(words, 0L);
        addedSinceRebuild = 0;
        storedEstimate = 0;
        rebuilds++;
        storedKeys.forEachStoredKey(key -> {
            if (set(key)) {
                storedEstimate++;
            }
            addedSinceRebuild++;
        });
    }

    boolean enabled() {
        return enabled;
    }

    long rebuilds() {
        return rebuilds;
    }

    /** Reads of keyed state the filter spared. */
    long skippedReads() {
        return skippedReads;
    }

    long estimatedKeys() {
        return storedEstimate;
    }

    /** Sets the key's bits; true if any was clear (the key was certainly not in the filter). */
    private boolean set(FlowKey key) {
        long h = hash(key);
        boolean changed = false;
        for (int i = 0; i < PROBES; i++) {
            int bit = probe(h, i);
            long word = words[bit >>> 6];
            long flag = 1L << bit;
            if ((word & flag) == 0) {
                words[bit >>> 6] = word | flag;
                changed = true;
            }
        }
        return changed;
    }

    /** Bit of probe {@code i}: double hashing over the two halves of the hash (the step is odd). */
    private int probe(long h, int i) {
        return ((int) h + i * ((int) (h >>> 32) | 1)) & mask;
    }

    /** MurmurHash3's 64-bit finalizer over the key's value hash: both halves well mixed. */
    private static long hash(FlowKey key) {
        long h = key.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
