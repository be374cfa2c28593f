package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.io.IOException;
import java.util.function.ToIntFunction;

/**
 * Encoded states of flows, kept in the heap up to a byte budget between the decoded
 * {@link FlowStateCache} and keyed state: what the decoded cache evicts lands here, and a flow
 * found here costs a decode instead of a state backend read (for RocksDB a JNI call and an LSM
 * lookup, half of the flow abstractor's time with a million open flows, docs/performance.md
 * section 13).
 *
 * <p>Entries are clean (keyed state holds the same bytes) or dirty (newer). A
 * dirty entry goes to the {@link Backend} only when it is evicted (least recently used first, once
 * the budget is exceeded) or refused; checkpoints do not write it there but take it as it is
 * ({@link #dirtyByKeyGroup}, written by {@link CachedFlowsRawState} into the snapshot's raw keyed
 * state), so a flow held here costs no state backend write however often it changes. A snapshot is
 * therefore keyed state plus these dirty flows, which win on restore. This is correct because an
 * operator instance is the only writer of its keys.
 *
 * <p>Timers: every flow in keyed state has its idle timer, but a dirty flow here may have none. Its
 * owner gives its idle deadline with it, and {@link #armTimersDueBy} arms the timers of the flows
 * whose deadline a watermark reaches; a flow evicted or refused without a timer is handed to the
 * {@link Backend} as such, which arms it before keyed state holds it. A flow that lives and ends
 * here so never touches the timer service (registering, firing and re-registering a timer per
 * flow in RocksDB's timer queue was 15% of the flow abstractor's time at 10M open flows,
 * docs/performance.md section 21).
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
     * Heap an entry takes besides its record (header, key and state in a page): its share of
     * {@link EncodedFlowTable}'s parallel arrays and buckets (40 bytes a slot; they grow by
     * doubling, so about three quarters full) and of the dead records its group holds until it is
     * compacted (at most a quarter of the pages). Checked against the heap with IPv4 keys, 46-byte
     * states (a tenth longer) and a third of them rewritten longer (EncodedCacheHeapBench), when a
     * slot was 32 bytes and this 8 less: 156 bytes a flow measured for 6M flows against 136
     * estimated, 166 for 1M, 194 for 700k (docs/performance.md section 20); the undercount is the
     * moved records' dead copies.
     */
    static final int FIXED_ENTRY_BYTES = 64;

    /** Bytes of an IPv4 TCP flow's serialized key. */
    static final int IPV4_KEY_BYTES = 17;

    /** Heap an entry with an IPv4 flow's key takes besides its state (IPv6 keys take 24 bytes more). */
    static final int ENTRY_OVERHEAD_BYTES = FIXED_ENTRY_BYTES + EncodedFlowTable.HEADER_BYTES + IPV4_KEY_BYTES;

    /** An entry with a typical open TCP flow's state (46 bytes in layout 2), to size the admission's sample. */
    static final int TYPICAL_ENTRY_BYTES = ENTRY_OVERHEAD_BYTES + 46;

    /** Largest encoded state kept; larger ones are written to keyed state at once. */
    static final int MAX_ENTRY_BYTES = 8192;

    /** A deadline given with a flow that has its timer or wants none. */
    static final long NO_DEADLINE = EncodedFlowTable.NO_DEADLINE;

    /**
     * A deadline given with a flow that may lack its timer when the caller cannot tell its deadline
     * (restored flows, before the rules are known): the next walk asks {@link Timers#deadline}.
     */
    static final long DEADLINE_UNKNOWN = Long.MIN_VALUE;

    /** Writes a state's bytes to keyed state under its own key. */
    @FunctionalInterface
    interface Backend {
        /** {@code mayLackTimer}: the flow was kept here without its timer, which must be armed first. */
        void write(FlowKey key, byte[] state, boolean mayLackTimer) throws Exception;
    }

    /** How {@link #armTimersDueBy} learns a flow's idle deadline and arms its timer. */
    interface Timers {
        /**
         * The idle deadline (event-time millis) of the flow whose encoded state is {@code page[offset,
         * offset + length)}, or {@link #NO_DEADLINE} if it has its timer or wants none.
         */
        long deadline(byte[] page, int offset, int length);

        /** Arms the timer of the flow with this key and encoded state; returns its state with the timer in it. */
        byte[] arm(FlowKey key, byte[] page, int offset, int length) throws Exception;
    }

    private final EncodedFlowTable flows = new EncodedFlowTable();
    private final FlowKeyBytes keyBytes = new FlowKeyBytes();
    private final long budgetBytes;
    private final Backend backend;
    private final AdaptiveAdmission admission;
    private final ToIntFunction<FlowKey> keyGroupOf;
    /**
     * The key object of the last hit and its entry, so the put that follows for the same packet
     * skips a second search. Invariant: when {@code lastKey} is set, {@code lastEntry} is its live
     * entry; every removal clears it. Keys are never mutated once made (the job's serializers
     * always build new ones), so the same object is the same key.
     */
    private FlowKey lastKey;
    private int lastEntry = EncodedFlowTable.NIL;
    private long usedBytes;
    /**
     * No entry's deadline is before this (event-time millis), so an earlier watermark skips the
     * walk. Lowered by every put with a deadline, set by each walk.
     */
    private long earliestDeadline = NO_DEADLINE;
    /** The rules changed since the last walk: every deadline kept may be wrong. */
    private boolean deadlinesStale;
    private long timerWalks;
    private long timersArmed;
    private long hits;
    private long misses;
    private long writes;
    private long rejected;

    /** A cache of one key group (for tests and tools). */
    EncodedStateCache(long budgetBytes, Backend backend) {
        this(budgetBytes, backend, key -> 0);
    }

    /** {@code keyGroupOf}: the Flink key group of a flow's key, to write snapshots per key group. */
    EncodedStateCache(long budgetBytes, Backend backend, ToIntFunction<FlowKey> keyGroupOf) {
        this.budgetBytes = budgetBytes;
        this.backend = backend;
        this.keyGroupOf = keyGroupOf;
        this.admission = new AdaptiveAdmission(budgetBytes / TYPICAL_ENTRY_BYTES);
    }

    /** Whether a state of this size is kept here (see {@link #MAX_ENTRY_BYTES}). */
    static boolean fits(byte[] state) {
        return state.length <= MAX_ENTRY_BYTES;
    }

    /**
     * A copy of {@code key}'s state bytes, or null when they are not here (for tests and tools; the
     * operator decodes in place with {@link #getDecoded}).
     */
    byte[] get(FlowKey key) {
        int e = lookUp(key, FlowKeyHash.of(key));
        return e == EncodedFlowTable.NIL ? null : flows.state(e);
    }

    /**
     * {@code key}'s state decoded, or null when it is not here (keyed state decides), for a key
     * whose {@link FlowKeyHash} the caller has.
     */
    FlowState getDecoded(FlowKey key, long keyHash) {
        int e = lookUp(key, keyHash);
        return e == EncodedFlowTable.NIL
                ? null
                : FlowStateCodec.decode(flows.page(e), flows.stateOffset(e), flows.stateLength(e));
    }

    /** The entry of {@code key}, made the youngest, or NIL; counts the hit or miss and feeds admission. */
    private int lookUp(FlowKey key, long keyHash) {
        if (admission.samples(keyHash)) {
            admission.lookedUp(keyHash, capacityEntries());
        }
        int e = find(key, keyHash);
        if (e == EncodedFlowTable.NIL) {
            misses++;
            return e;
        }
        hits++;
        flows.touch(e);
        lastKey = key;
        lastEntry = e;
        return e;
    }

    /**
     * Keeps {@code state}, newer than keyed state: written there on eviction, else snapshotted from
     * here. {@code deadline}: the flow's idle deadline (event-time millis) if it has no timer,
     * {@link #DEADLINE_UNKNOWN} if it may have none, else {@link #NO_DEADLINE}.
     */
    void putDirty(FlowKey key, byte[] state, long deadline) throws Exception {
        putDirty(key, FlowKeyHash.of(key), state, deadline);
    }

    /** As {@link #putDirty(FlowKey, byte[], long)}, for a key whose {@link FlowKeyHash} the caller has. */
    void putDirty(FlowKey key, long keyHash, byte[] state, long deadline) throws Exception {
        put(key, keyHash, state, true, deadline);
    }

    /** Keeps {@code state}, which keyed state holds (and so its timer). */
    void putClean(FlowKey key, byte[] state) throws Exception {
        putClean(key, FlowKeyHash.of(key), state);
    }

    /** As {@link #putClean(FlowKey, byte[])}, for a key whose {@link FlowKeyHash} the caller has. */
    void putClean(FlowKey key, long keyHash, byte[] state) throws Exception {
        put(key, keyHash, state, false, NO_DEADLINE);
    }

    private void put(FlowKey key, long hash, byte[] state, boolean dirty, long deadline) throws Exception {
        earliestDeadline = Math.min(earliestDeadline, deadline);
        int e = key == lastKey ? lastEntry : find(key, hash);
        if (e == EncodedFlowTable.NIL) {
            int keyLength = keyBytes.length();
            long size = FIXED_ENTRY_BYTES + EncodedFlowTable.HEADER_BYTES + keyLength + state.length;
            if (usedBytes + size > budgetBytes && flows.size() > 0 && !admission.admit()) {
                rejected++;
                if (dirty) {
                    writes++;
                    backend.write(key, state, deadline != NO_DEADLINE);
                }
                return;
            }
            // the key as find() serialized it
            flows.insert(keyBytes.buffer(), keyLength, hash, keyGroupOf.applyAsInt(key), state, dirty, deadline);
            usedBytes += size;
        } else {
            replaceState(e, state);
            flows.setDirty(e, flows.dirty(e) || dirty);
            flows.setDeadline(e, deadline); // the new state's: an older one's timer no longer counts
            flows.touch(e);
        }
        evictOverBudget();
    }

    private void replaceState(int e, byte[] state) {
        usedBytes -= flows.recordBytes(e);
        flows.setState(e, state);
        usedBytes += flows.recordBytes(e);
    }

    /**
     * Arms the timers of the flows kept without one whose idle deadline is at or before {@code
     * watermarkMillis} (the caller fires timers after this); returns at once while no kept deadline
     * can be that early. A walk visits every entry number; it neither adds nor evicts entries.
     */
    void armTimersDueBy(long watermarkMillis, Timers timers) throws Exception {
        if (watermarkMillis < earliestDeadline) {
            return;
        }
        timerWalks++;
        long next = NO_DEADLINE;
        int end = flows.entryNumbersUsed();
        for (int e = 0; e < end; e++) {
            long deadline = flows.deadline(e);
            if (deadline == NO_DEADLINE) {
                continue;
            }
            if (deadline == DEADLINE_UNKNOWN || deadlinesStale) {
                deadline = timers.deadline(flows.page(e), flows.stateOffset(e), flows.stateLength(e));
                flows.setDeadline(e, deadline);
                if (deadline == NO_DEADLINE) {
                    continue;
                }
            }
            if (deadline <= watermarkMillis) {
                FlowKey key = FlowKeyBytes.read(flows.page(e), flows.keyOffset(e), flows.keyLength(e));
                replaceState(e, timers.arm(key, flows.page(e), flows.stateOffset(e), flows.stateLength(e)));
                flows.setDirty(e, true); // its state now holds the timer: newer than keyed state
                flows.setDeadline(e, NO_DEADLINE);
                timersArmed++;
            } else {
                next = Math.min(next, deadline);
            }
        }
        deadlinesStale = false;
        earliestDeadline = next;
    }

    /** The rules changed, and with them perhaps the timeouts: the next watermark walks every deadline anew. */
    void deadlinesChanged() {
        deadlinesStale = true;
        earliestDeadline = DEADLINE_UNKNOWN;
    }

    /** The entry of {@code key}, or NIL; leaves the key serialized in {@link #keyBytes}. */
    private int find(FlowKey key, long hash) {
        int keyLength = keyBytes.write(key);
        return flows.find(keyBytes.buffer(), keyLength, hash);
    }

    /** Flows the budget holds at the entries' present mean size. */
    private long capacityEntries() {
        long mean = flows.size() == 0 ? TYPICAL_ENTRY_BYTES : Math.max(1, usedBytes / flows.size());
        return budgetBytes / mean;
    }

    private void evictOverBudget() throws Exception {
        while (usedBytes > budgetBytes && flows.size() > 0) {
            int victim = flows.eldest();
            usedBytes -= FIXED_ENTRY_BYTES + flows.recordBytes(victim);
            byte[] evicted = flows.dirty(victim) ? flows.state(victim) : null;
            boolean lacksTimer = flows.deadline(victim) != NO_DEADLINE;
            FlowKey evictedKey = evicted == null
                    ? null
                    : FlowKeyBytes.read(flows.page(victim), flows.keyOffset(victim), flows.keyLength(victim));
            removeEntry(victim);
            if (evicted != null) {
                writes++;
                backend.write(evictedKey, evicted, lacksTimer);
            }
        }
    }

    /**
     * Drops {@code key}'s bytes without writing them: the flow ended, or the caller writes a newer
     * state to keyed state itself. Whether keyed state still holds an older state is the caller's
     * question.
     */
    void remove(FlowKey key) {
        int e = find(key, FlowKeyHash.of(key));
        if (e != EncodedFlowTable.NIL) {
            usedBytes -= FIXED_ENTRY_BYTES + flows.recordBytes(e);
            removeEntry(e);
        }
    }

    /** Removes entry {@code e} from the table (its number may be reused) and forgets the last hit. */
    private void removeEntry(int e) {
        flows.remove(e);
        lastKey = null;
        lastEntry = EncodedFlowTable.NIL;
    }

    /**
     * The dirty flows now, grouped by key group, for a snapshot of key groups {@code
     * [firstKeyGroup, firstKeyGroup + keyGroups)}. They stay dirty: keyed state still lacks them.
     * Valid until the cache next changes.
     *
     * @throws IllegalStateException if a flow's key group is outside the range (not this instance's key)
     */
    DirtyFlows dirtyByKeyGroup(int firstKeyGroup, int keyGroups) {
        int outside = flows.dirtyGroupOutside(firstKeyGroup, keyGroups);
        if (outside >= 0) {
            throw new IllegalStateException("a cached flow of key group " + outside
                    + " is outside this instance's key groups " + firstKeyGroup + ".." + (firstKeyGroup + keyGroups - 1));
        }
        return new DirtyFlows(flows, firstKeyGroup, keyGroups);
    }

    /** Dirty flows by key group (see {@link #dirtyByKeyGroup}); group {@code g} counts from the first. */
    static final class DirtyFlows {
        private final EncodedFlowTable table;
        private final int firstKeyGroup;
        private final int keyGroups;

        private DirtyFlows(EncodedFlowTable table, int firstKeyGroup, int keyGroups) {
            this.table = table;
            this.firstKeyGroup = firstKeyGroup;
            this.keyGroups = keyGroups;
        }

        int firstKeyGroup() {
            return firstKeyGroup;
        }

        int keyGroups() {
            return keyGroups;
        }

        int total() {
            int total = 0;
            for (int g = 0; g < keyGroups; g++) {
                total += count(g);
            }
            return total;
        }

        int count(int g) {
            return table.dirtyCount(firstKeyGroup + g);
        }

        /** Hands group {@code g}'s flows to {@code visitor} in place, {@link #count} of them. */
        void forEach(int g, EncodedFlowTable.RecordVisitor visitor) throws IOException {
            table.forEachDirty(firstKeyGroup + g, visitor);
        }
    }

    int size() {
        return flows.size();
    }

    /** Heap the entries take, by the estimate of {@link #FIXED_ENTRY_BYTES}. */
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

    /** States that outgrew their record, or shrank far below it, and moved (see {@link EncodedFlowTable}). */
    long relocations() {
        return flows.relocations();
    }

    /** Key groups compacted to free the room of moved or removed flows. */
    long compactions() {
        return flows.compactions();
    }

    /** Walks over the entries for timers that came due ({@link #armTimersDueBy}). */
    long timerWalks() {
        return timerWalks;
    }

    /** Timers those walks armed. */
    long timersArmed() {
        return timersArmed;
    }

    /** States written to keyed state by eviction or refused admission. */
    long writes() {
        return writes;
    }
}
