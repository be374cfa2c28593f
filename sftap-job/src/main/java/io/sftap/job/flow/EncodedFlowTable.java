package io.sftap.job.flow;

import java.util.Arrays;

/**
 * A hash map from serialized flow keys to encoded states in least-recently-used order, kept in
 * parallel arrays indexed by an entry number: per entry one small array (the key's bytes, then the
 * state's) and a few ints (hash, chain, LRU links, key group), no entry, node or key objects. One
 * array, not two, saves a header and a reference an entry, and a snapshot, which visits millions
 * of entries in key-group order, one cache miss each. Besides the memory, links that are ints cost the garbage
 * collector nothing: moving an entry to the young end writes no reference (a linked map's
 * reordering of old nodes is work for G1's remembered sets on every hit).
 *
 * <p>Chained hashing: {@code buckets} holds the first entry of each bucket, {@code chain} the
 * next; a free entry number is chained on the free list instead. Not thread-safe.
 */
final class EncodedFlowTable {
    static final int NIL = -1;
    /** Longest serialized key an entry holds (its length is kept in a byte; IPv6 keys take 41). */
    static final int MAX_KEY_BYTES = 0xff;
    private static final int INITIAL_ENTRIES = 1024;

    private int[] buckets = filled(INITIAL_ENTRIES);
    /** The key's hash: skips most key comparisons in a bucket, and rechains on growth. */
    private long[] hashes = new long[INITIAL_ENTRIES];
    private int[] chain = new int[INITIAL_ENTRIES];
    private int[] older = new int[INITIAL_ENTRIES];
    private int[] newer = new int[INITIAL_ENTRIES];
    private boolean[] dirty = new boolean[INITIAL_ENTRIES];
    /** Flink key group of the entry's key: a snapshot writes flows grouped by it. */
    private int[] keyGroups = new int[INITIAL_ENTRIES];
    /** Serialized key then encoded state per entry; null for a free entry number. */
    private byte[][] entries = new byte[INITIAL_ENTRIES][];
    /** Bytes of the key at the start of the entry's array (unsigned). */
    private byte[] keyLengths = new byte[INITIAL_ENTRIES];
    private int eldest = NIL;
    private int youngest = NIL;
    private int free = NIL;
    /** Entry numbers below this have been used. */
    private int used;
    private int size;

    /** The entry of the key serialized in {@code key[0, keyLength)} with this hash, or {@link #NIL}. */
    int find(byte[] key, int keyLength, long hash) {
        for (int e = buckets[bucket(hash)]; e != NIL; e = chain[e]) {
            if (hashes[e] == hash && keyLength(e) == keyLength && Arrays.equals(entries[e], 0, keyLength, key, 0, keyLength)) {
                return e;
            }
        }
        return NIL;
    }

    /** Adds the key in {@code key[0, keyLength)}, not here yet, as the youngest entry; both arrays are copied. */
    int insert(byte[] key, int keyLength, long hash, int keyGroup, byte[] state, boolean isDirty) {
        if (keyLength > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a serialized flow key of " + keyLength + " bytes (at most "
                    + MAX_KEY_BYTES + ")");
        }
        int e = free;
        if (e != NIL) {
            free = chain[e];
        } else {
            if (used == entries.length) {
                grow();
            }
            e = used++;
        }
        byte[] entry = new byte[keyLength + state.length];
        System.arraycopy(key, 0, entry, 0, keyLength);
        System.arraycopy(state, 0, entry, keyLength, state.length);
        entries[e] = entry;
        keyLengths[e] = (byte) keyLength;
        dirty[e] = isDirty;
        keyGroups[e] = keyGroup;
        hashes[e] = hash;
        int b = bucket(hash);
        chain[e] = buckets[b];
        buckets[b] = e;
        linkYoungest(e);
        size++;
        return e;
    }

    /** Makes {@code e} the youngest entry. */
    void touch(int e) {
        if (e != youngest) {
            unlink(e);
            linkYoungest(e);
        }
    }

    /** Removes entry {@code e}; its number may be reused by the next insert. */
    void remove(int e) {
        int b = bucket(hashes[e]);
        if (buckets[b] == e) {
            buckets[b] = chain[e];
        } else {
            int before = buckets[b];
            while (chain[before] != e) {
                before = chain[before];
            }
            chain[before] = chain[e];
        }
        unlink(e);
        entries[e] = null;
        chain[e] = free;
        free = e;
        size--;
    }

    /** The entry's array: {@link #keyLength} bytes of key, then the state. Not to be changed. */
    byte[] entry(int e) {
        return entries[e];
    }

    int keyLength(int e) {
        return keyLengths[e] & 0xff;
    }

    int stateLength(int e) {
        return entries[e].length - keyLength(e);
    }

    /** A copy of the entry's key bytes. */
    byte[] key(int e) {
        return Arrays.copyOf(entries[e], keyLength(e));
    }

    /** A copy of the entry's state bytes. */
    byte[] state(int e) {
        return Arrays.copyOfRange(entries[e], keyLength(e), entries[e].length);
    }

    /** Replaces the entry's state: in place when it keeps its length, else in a new array. */
    void setState(int e, byte[] state) {
        int keyLength = keyLength(e);
        byte[] entry = entries[e].length == keyLength + state.length
                ? entries[e]
                : Arrays.copyOf(entries[e], keyLength + state.length);
        System.arraycopy(state, 0, entry, keyLength, state.length);
        entries[e] = entry;
    }

    boolean dirty(int e) {
        return dirty[e];
    }

    void setDirty(int e, boolean isDirty) {
        dirty[e] = isDirty;
    }

    int keyGroup(int e) {
        return keyGroups[e];
    }

    /**
     * One past the highest entry number in use: with {@link #live} this visits every entry in
     * memory order, faster than the LRU links over millions of entries.
     */
    int entryLimit() {
        return used;
    }

    /** Whether entry number {@code e} (below {@link #entryLimit}) holds a flow. */
    boolean live(int e) {
        return entries[e] != null;
    }

    /** The least recently used entry, or {@link #NIL} when empty. */
    int eldest() {
        return eldest;
    }

    /** The entry used next after {@code e} (towards the youngest), or {@link #NIL}. */
    int newer(int e) {
        return newer[e];
    }

    int size() {
        return size;
    }

    private int bucket(long hash) {
        return (int) hash & (buckets.length - 1);
    }

    private void linkYoungest(int e) {
        older[e] = youngest;
        newer[e] = NIL;
        if (youngest != NIL) {
            newer[youngest] = e;
        } else {
            eldest = e;
        }
        youngest = e;
    }

    private void unlink(int e) {
        int o = older[e];
        int n = newer[e];
        if (o != NIL) {
            newer[o] = n;
        } else {
            eldest = n;
        }
        if (n != NIL) {
            older[n] = o;
        } else {
            youngest = o;
        }
    }

    /** Doubles the entry arrays and the buckets (one bucket per entry), rechaining every entry. */
    private void grow() {
        int capacity = entries.length * 2;
        hashes = Arrays.copyOf(hashes, capacity);
        chain = Arrays.copyOf(chain, capacity);
        older = Arrays.copyOf(older, capacity);
        newer = Arrays.copyOf(newer, capacity);
        dirty = Arrays.copyOf(dirty, capacity);
        keyGroups = Arrays.copyOf(keyGroups, capacity);
        entries = Arrays.copyOf(entries, capacity);
        keyLengths = Arrays.copyOf(keyLengths, capacity);
        buckets = filled(capacity);
        for (int e = 0; e < used; e++) {
            if (entries[e] != null) {
                int b = bucket(hashes[e]);
                chain[e] = buckets[b];
                buckets[b] = e;
            }
        }
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, NIL);
        return a;
    }
}
