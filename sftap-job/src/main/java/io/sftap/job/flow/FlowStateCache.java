package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded states of the most recently used flows of one operator instance, in front of keyed
 * state: a packet of a cached flow skips the state backend's read and write (RocksDB JNI calls)
 * and the codec.
 *
 * <p>Entries are clean (equal to keyed state) or dirty (newer than keyed state). A dirty entry is
 * handed to the {@link WriteBack} when it is evicted and by {@link #flush} (the operator calls it
 * before every checkpoint barrier), so a checkpoint or savepoint always holds every flow's latest
 * state and never depends on this cache. This is correct because an operator instance is the only
 * writer of its keys, and a restored instance starts empty. States holding more than {@link
 * #MAX_HELD_BYTES} of payload (unclassified buffers, out-of-order queues) are not kept, which
 * bounds the heap to about {@code capacity * MAX_HELD_BYTES}. Its {@link DecodedCacheGate} tells
 * the caller whether to put the flows it misses in at all ({@link #admitting}); while it does not,
 * {@link #flush} empties the cache.
 */
public final class FlowStateCache {
    /** Largest payload a cached state may hold; larger states go to keyed state every time. */
    public static final int MAX_HELD_BYTES = 4096;

    /** Default number of flows kept (about 10-40 MB of heap for short sessions). */
    public static final int DEFAULT_CAPACITY = 16_384;

    /** Writes a dirty state to keyed state under its own key. */
    @FunctionalInterface
    public interface WriteBack {
        void write(FlowKey key, FlowState state) throws Exception;
    }

    /** Sees one cached flow; must not add or remove flows. */
    @FunctionalInterface
    public interface Visitor {
        void visit(FlowKey key, FlowState state) throws Exception;
    }

    /** A cached state, whether keyed state lags behind it, and whether keyed state may hold one. */
    private static final class Entry {
        FlowState state;
        boolean dirty;
        /** False only while keyed state is known to hold nothing for the key: no delete needed. */
        boolean stored;

        Entry(FlowState state, boolean dirty, boolean stored) {
            this.state = state;
            this.dirty = dirty;
            this.stored = stored;
        }
    }

    private final LinkedHashMap<FlowKey, Entry> flows;
    private final int capacity;
    private final WriteBack writeBack;
    private final DecodedCacheGate gate;
    /**
     * The entry the last {@link #get} found, so the put that follows for the same packet skips a
     * second lookup. Invariant: when {@code lastKey} is set, {@code lastEntry} is its live entry;
     * every removal clears it.
     */
    private FlowKey lastKey;
    private Entry lastEntry;
    private long hits;
    private long misses;
    private long writeBacks;

    public FlowStateCache(int capacity, WriteBack writeBack) {
        this.capacity = capacity;
        this.writeBack = writeBack;
        this.flows = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true);
        this.gate = new DecodedCacheGate(capacity);
    }

    /**
     * As {@link #get(FlowKey)}, for a key whose {@link FlowKeyHash} the caller has: also plays the
     * lookup in the {@link DecodedCacheGate}, which decides {@link #admitting}.
     */
    public FlowState get(FlowKey key, long keyHash) {
        gate.lookedUp(keyHash);
        return get(key);
    }

    /**
     * Whether flows this cache misses should be put in it now: false while an LRU of its size would
     * hit too rarely to pay (see {@link DecodedCacheGate}); the caller then keeps them encoded.
     */
    public boolean admitting() {
        return gate.admitting();
    }

    /** Whether {@code key} is cached (a flow found by the last {@link #get} without a second lookup). */
    public boolean contains(FlowKey key) {
        return lookup(key) != null;
    }

    /** The cached state of {@code key}, or null when it is not cached (keyed state decides). */
    public FlowState get(FlowKey key) {
        Entry e = probe(key);
        if (e == null) {
            misses++;
            return null;
        }
        hits++;
        lastKey = key;
        lastEntry = e;
        return e.state;
    }

    /** Whether a state this large may be cached (see {@link #MAX_HELD_BYTES}). */
    public static boolean fits(FlowState state) {
        return state.heldBytes() <= MAX_HELD_BYTES;
    }

    /** Keeps {@code state}, which keyed state already holds. */
    public void putClean(FlowKey key, FlowState state) throws Exception {
        put(key, state, false, true);
    }

    /** Keeps {@code state}, newer than keyed state: written back on eviction or {@link #flush}. */
    public void putDirty(FlowKey key, FlowState state) throws Exception {
        put(key, state, true, true);
    }

    /**
     * Like {@link #putDirty} for a flow whose keyed state is known to be empty (it was just read
     * and held nothing): until it is written back, {@link #forget} tells that no delete is needed.
     */
    public void putNew(FlowKey key, FlowState state) throws Exception {
        put(key, state, true, false);
    }

    /**
     * Keeps the tombstone of a flow that closed cleanly in this cache only: it absorbs stray
     * retransmissions while it stays, and is dropped, not written, on eviction or {@link #flush}.
     *
     * @return whether keyed state may still hold an older state of the flow (the caller deletes it)
     */
    public boolean putEphemeral(FlowKey key, FlowState tombstone) throws Exception {
        Entry e = lookup(key);
        if (e == null) {
            put(key, tombstone, false, false);
            return true; // unknown here: keyed state may hold the flow
        }
        boolean stored = e.stored;
        e.state = tombstone;
        e.dirty = false; // clean and not stored: eviction and flush drop it
        e.stored = false;
        return stored;
    }

    /** The entry of {@code key}, from the last {@link #get} if it was for the same key object. */
    private Entry lookup(FlowKey key) {
        return key == lastKey ? lastEntry : probe(key);
    }

    /** The map's entry of {@code key}; an empty map (the gate closed) answers without hashing the key. */
    private Entry probe(FlowKey key) {
        return flows.isEmpty() ? null : flows.get(key);
    }

    private void put(FlowKey key, FlowState state, boolean dirty, boolean stored) throws Exception {
        Entry e = lookup(key);
        if (e != null) {
            e.state = state;
            e.dirty |= dirty;
            e.stored |= !dirty; // a clean state is what keyed state holds
            return;
        }
        flows.put(key, new Entry(state, dirty, stored));
        if (flows.size() > capacity) {
            Iterator<Map.Entry<FlowKey, Entry>> eldest = flows.entrySet().iterator();
            Map.Entry<FlowKey, Entry> victim = eldest.next();
            eldest.remove();
            lastKey = null;
            if (victim.getValue().dirty) {
                writeBacks++;
                writeBack.write(victim.getKey(), victim.getValue().state);
            }
        }
    }

    /** Forgets {@code key}; the caller clears or writes keyed state itself. */
    public void remove(FlowKey key) {
        flows.remove(key);
        lastKey = null;
    }

    /**
     * Forgets {@code key} for good (the flow ended).
     *
     * @return whether keyed state may still hold a state for it (false only for a flow that lived
     *     in this cache alone: then the caller can skip the delete)
     */
    public boolean forget(FlowKey key) {
        Entry e = flows.remove(key);
        lastKey = null;
        return e == null || e.stored;
    }

    /**
     * Writes every dirty state back. The entries stay, clean, while the cache admits flows; while
     * it does not ({@link #admitting}) they go too, as on eviction: flows it no longer takes in
     * would otherwise stay until they end, and every packet would pay a lookup for them.
     */
    public void flush() throws Exception {
        for (Map.Entry<FlowKey, Entry> e : flows.entrySet()) {
            if (e.getValue().dirty) {
                writeBacks++;
                writeBack.write(e.getKey(), e.getValue().state);
                e.getValue().dirty = false;
                e.getValue().stored = true;
            }
        }
        if (!gate.admitting()) {
            flows.clear();
            lastKey = null;
        }
    }

    /** Visits every cached flow, least recently used first. */
    public void forEach(Visitor visitor) throws Exception {
        for (Map.Entry<FlowKey, Entry> e : flows.entrySet()) {
            visitor.visit(e.getKey(), e.getValue().state);
        }
    }

    public int size() {
        return flows.size();
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    /** States written to keyed state by eviction or flush. */
    public long writeBacks() {
        return writeBacks;
    }
}
