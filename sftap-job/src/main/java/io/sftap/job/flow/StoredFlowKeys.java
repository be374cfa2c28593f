package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.function.Predicate;

/**
 * A Bloom filter of the flow keys keyed state may hold, so that a packet of a flow keyed state has
 * never seen (every new flow's first packet) skips the state backend's read: for RocksDB, a JNI
 * call, a key serialization and a memtable and Bloom lookup that finds nothing.
 *
 * <p>Invariant: every key written to keyed state is {@link #add added} before the write, before
 * any read of it; keys restored from a checkpoint or savepoint are added from the backend's key
 * list when the operator opens ({@link #fill}). A deleted key stays in the filter (a false
 * positive costs only the read it would have cost anyway). Once half of its bits are set (about
 * 15M distinct keys at the default size, fewer if the key list on open is that long), the filter
 * switches itself off for the life of the operator instance: from then on every miss reads keyed
 * state, as without it. It is never rebuilt while packets flow: a scan of millions of keys would
 * stall the task and its checkpoints.
 *
 * <p>It hashes keys with {@link FlowKeyHash}: {@link FlowKey#hashCode} collides often on
 * neighbouring addresses and ports, which would blind a Bloom filter.
 */
final class StoredFlowKeys {
    /** Bits of the default filter: 8 MiB. */
    static final int DEFAULT_BITS_LOG2 = 26;

    private static final int PROBES = 3;

    /** Gives the keys keyed state holds now until {@code action} returns false. */
    @FunctionalInterface
    interface KeyLister {
        void forEachStoredKey(Predicate<FlowKey> action) throws Exception;
    }

    private final long[] words;
    private final int mask;
    private final long maxBitsSet;
    private long bitsSet;
    private boolean enabled = true;
    private long filled;
    private long skippedReads;

    StoredFlowKeys(int bitsLog2) {
        this.words = new long[1 << (bitsLog2 - 6)];
        this.mask = (1 << bitsLog2) - 1;
        this.maxBitsSet = (1L << bitsLog2) / 2;
    }

    /** False when keyed state certainly holds nothing for {@code key}: a read it spares is counted. */
    boolean mightContain(FlowKey key) {
        return mightContain(enabled ? FlowKeyHash.of(key) : 0);
    }

    /** As {@link #mightContain(FlowKey)}, for a key whose {@link FlowKeyHash} the caller has. */
    boolean mightContain(long keyHash) {
        if (mayHoldHash(keyHash)) {
            return true;
        }
        skippedReads++;
        return false;
    }

    /** False when keyed state certainly holds nothing for {@code key} (a delete is not needed). */
    boolean mayHold(FlowKey key) {
        return !enabled || mayHoldHash(FlowKeyHash.of(key));
    }

    private boolean mayHoldHash(long h) {
        if (!enabled) {
            return true;
        }
        for (int i = 0; i < PROBES; i++) {
            int bit = probe(h, i);
            if ((words[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Records that keyed state is about to hold {@code key}. */
    void add(FlowKey key) {
        if (!enabled) {
            return;
        }
        long h = FlowKeyHash.of(key);
        for (int i = 0; i < PROBES; i++) {
            int bit = probe(h, i);
            long word = words[bit >>> 6];
            long flag = 1L << bit;
            if ((word & flag) == 0) {
                words[bit >>> 6] = word | flag;
                bitsSet++;
            }
        }
        if (bitsSet > maxBitsSet) {
            enabled = false; // too full to tell new flows apart: read as without a filter
        }
    }

    /** Adds every key keyed state holds now (on open), stopping if the filter switches off. */
    void fill(KeyLister storedKeys) throws Exception {
        storedKeys.forEachStoredKey(key -> {
            add(key);
            filled++;
            return enabled;
        });
    }

    boolean enabled() {
        return enabled;
    }

    /** Keys read by {@link #fill}. */
    long filled() {
        return filled;
    }

    /** Reads of keyed state the filter spared. */
    long skippedReads() {
        return skippedReads;
    }

    /** Bit of probe {@code i}: double hashing over the two halves of the hash (the step is odd). */
    private int probe(long h, int i) {
        return ((int) h + i * ((int) (h >>> 32) | 1)) & mask;
    }
}
