package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encoded states of flows, kept in the heap up to a byte budget between the decoded
 * {@link FlowStateCache} and keyed state: what the decoded cache evicts lands here, and a flow
 * found here costs a decode instead of a state backend read (for RocksDB a JNI call and an LSM
 * lookup, half of the flow abstractor's time with a million open flows, docs/performance.md
 * section 13).
 *
 * <p>To the decoded cache and to timers this is keyed state: a state is written here only after its
 * idle timer is armed. Entries are clean (keyed state holds the same bytes) or dirty (newer). A
 * dirty entry goes to the {@link Backend} when it is evicted (least recently used first, once the
 * budget is exceeded) and by {@link #flush} (before every checkpoint barrier, after the decoded
 * cache's own flush), so checkpoints and savepoints never depend on it. This is correct because an
 * operator instance is the only writer of its keys, and a restored instance starts empty.
 *
 * <p>Admission is scan-resistant ({@link AdaptiveAdmission}): once the budget is full, new flows
 * get in as in an LRU while that pays, and only one in {@value AdaptiveAdmission#BIMODAL_ONE_IN}
 * while more flows are visited in turn than the budget holds. An LRU would there push out each
 * flow just before it is asked for again and never hit; this way the flows held stay and hit, and
 * the others go to keyed state as without this cache. A flow not admitted is written to keyed
 * state if dirty.
 */
final class EncodedStateCache {
    /**
     * Heap an entry takes besides its bytes: map entry and table slot, the entry and the array
     * headers, the flow key and its two address arrays (IPv4; IPv6 keys take 24 bytes more).
     */
    static final int ENTRY_OVERHEAD_BYTES = 180;

    /** An entry with a typical open TCP flow's state (46 bytes in layout 2), to size the admission's sample. */
    static final int TYPICAL_ENTRY_BYTES = ENTRY_OVERHEAD_BYTES + 46;

    /** Largest encoded state kept; larger ones are written to keyed state at once. */
    static final int MAX_ENTRY_BYTES = 8192;

    /** Writes a state's bytes to keyed state under its own key. */
    @FunctionalInterface
    interface Backend {
        void write(FlowKey key, byte[] state) throws Exception;
    }

    /** Bytes of a state and whether keyed state lags behind them. */
    private static final class Entry {
        byte[] bytes;
        boolean dirty;

        Entry(byte[] bytes, boolean dirty) {
            this.bytes = bytes;
            this.dirty = dirty;
        }
    }

    private final LinkedHashMap<FlowKey, Entry> flows = new LinkedHashMap<>(1 << 10, 0.75f, true);
    private final long budgetBytes;
    private final Backend backend;
    private final AdaptiveAdmission admission;
    private long usedBytes;
    private long hits;
    private long misses;
    private long writes;
    private long rejected;

    EncodedStateCache(long budgetBytes, Backend backend) {
        this.budgetBytes = budgetBytes;
        this.backend = backend;
        this.admission = new AdaptiveAdmission(budgetBytes / TYPICAL_ENTRY_BYTES);
    }

    /** Whether a state of this size is kept here (see {@link #MAX_ENTRY_BYTES}). */
    static boolean fits(byte[] state) {
        return state.length <= MAX_ENTRY_BYTES;
    }

    /** The bytes of {@code key}'s state, or null when they are not here (keyed state decides). */
    byte[] get(FlowKey key) {
        return get(key, FlowKeyHash.of(key));
    }

    /** As {@link #get(FlowKey)}, for a key whose {@link FlowKeyHash} the caller has. */
    byte[] get(FlowKey key, long keyHash) {
        if (admission.samples(keyHash)) {
            admission.lookedUp(keyHash, capacityEntries());
        }
        Entry e = flows.get(key);
        if (e == null) {
            misses++;
            return null;
        }
        hits++;
        return e.bytes;
    }

    /** Keeps {@code state}, newer than keyed state: written on eviction or {@link #flush}. */
    void putDirty(FlowKey key, byte[] state) throws Exception {
        put(key, state, true);
    }

    /** Keeps {@code state}, which keyed state holds. */
    void putClean(FlowKey key, byte[] state) throws Exception {
        put(key, state, false);
    }

    private void put(FlowKey key, byte[] state, boolean dirty) throws Exception {
        Entry e = flows.get(key);
        if (e == null) {
            long size = state.length + ENTRY_OVERHEAD_BYTES;
            if (usedBytes + size > budgetBytes && !flows.isEmpty() && !admission.admit()) {
                rejected++;
                if (dirty) {
                    writes++;
                    backend.write(key, state);
                }
                return;
            }
            flows.put(key, new Entry(state, dirty));
            usedBytes += size;
        } else {
            usedBytes += state.length - e.bytes.length;
            e.bytes = state;
            e.dirty |= dirty;
        }
        evictOverBudget();
    }

    /** Flows the budget holds at the entries' present mean size. */
    private long capacityEntries() {
        long mean = flows.isEmpty() ? TYPICAL_ENTRY_BYTES : Math.max(1, usedBytes / flows.size());
        return budgetBytes / mean;
    }

    private void evictOverBudget() throws Exception {
        Iterator<Map.Entry<FlowKey, Entry>> eldest = flows.entrySet().iterator();
        while (usedBytes > budgetBytes && eldest.hasNext()) {
            Map.Entry<FlowKey, Entry> victim = eldest.next();
            eldest.remove();
            Entry e = victim.getValue();
            usedBytes -= e.bytes.length + ENTRY_OVERHEAD_BYTES;
            if (e.dirty) {
                writes++;
                backend.write(victim.getKey(), e.bytes);
            }
        }
    }

    /**
     * Drops {@code key}'s bytes without writing them: the flow ended, or the caller writes a newer
     * state to keyed state itself. Whether keyed state still holds an older state is the caller's
     * question.
     */
    void remove(FlowKey key) {
        Entry e = flows.remove(key);
        if (e != null) {
            usedBytes -= e.bytes.length + ENTRY_OVERHEAD_BYTES;
        }
    }

    /** Writes every dirty state to keyed state; all entries stay, clean. */
    void flush() throws Exception {
        for (Map.Entry<FlowKey, Entry> e : flows.entrySet()) {
            if (e.getValue().dirty) {
                writes++;
                backend.write(e.getKey(), e.getValue().bytes);
                e.getValue().dirty = false;
            }
        }
    }

    int size() {
        return flows.size();
    }

    /** Heap the entries take, by the estimate of {@link #ENTRY_OVERHEAD_BYTES}. */
    long usedBytes() {
        return usedBytes;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    /** Whether a full cache now takes in only one new flow in {@value AdaptiveAdmission#BIMODAL_ONE_IN}. */
    boolean bimodal() {
        return admission.bimodal();
    }

    /** New flows a full cache did not take in (see {@link AdaptiveAdmission}). */
    long rejected() {
        return rejected;
    }

    /** States written to keyed state by eviction, flush or refused admission. */
    long writes() {
        return writes;
    }
}
