package io.sftap.job.flow;

import java.util.Arrays;

/**
 * A hash map from serialized flow keys to encoded states, with CLOCK eviction: one open-addressed
 * table of slots (linear probing), each slot a small array (the key's length, its bytes, then the
 * state's) and a long of bookkeeping (32 bits of the key's hash, its Flink key group, a dirty and
 * a referenced bit). No entry, node or key objects, and no links: a lookup reads the slot's long,
 * its reference and the array (three cache misses among millions of flows), a hit sets a bit in
 * the long it just read, and the garbage collector sees one array per flow. A snapshot walks the
 * longs in memory order to group flows by key group.
 *
 * <p>Slot numbers are entry handles until the table next changes: {@link #remove} shifts later
 * entries of the probe run back (no tombstones), and {@link #insert} may regrow the table. Eviction
 * is CLOCK (second chance), an approximation of least-recently-used order: {@link #victim} sweeps
 * the slots, clearing referenced bits, and gives the first entry not referenced since the hand last
 * passed it. New entries start referenced, as a lookup would leave them. Not thread-safe.
 */
final class EncodedFlowTable {
    static final int NIL = -1;
    /** Longest serialized key an entry holds (its length is kept in a byte; IPv6 keys take 41). */
    static final int MAX_KEY_BYTES = 0xff;
    /** Highest key group a slot records (Flink's maximum parallelism is at most 32768). */
    static final int MAX_KEY_GROUP = 0x7fff;
    /** Where an entry's key starts in its array: byte 0 holds the key's length. */
    static final int KEY_OFFSET = 1;
    private static final int INITIAL_SLOTS = 1024;
    private static final long HASH_BITS = 0xffff_ffffL;
    private static final int GROUP_SHIFT = 32;
    private static final long DIRTY = 1L << 47;
    private static final long REFERENCED = 1L << 48;

    /** Per slot: the entry's array (key length, key, state), or null for a free slot. */
    private byte[][] entries = new byte[INITIAL_SLOTS][];
    /** Per slot: low 32 bits of the key's hash, key group at bit 32, {@link #DIRTY}, {@link #REFERENCED}. */
    private long[] info = new long[INITIAL_SLOTS];
    private int size;
    /** The CLOCK hand: the next slot {@link #victim} looks at. */
    private int hand;

    /** The entry of the key serialized in {@code key[0, keyLength)} with this hash, or {@link #NIL}. */
    int find(byte[] key, int keyLength, long hash) {
        int mask = entries.length - 1;
        int h = (int) hash;
        for (int s = h & mask; ; s = (s + 1) & mask) {
            byte[] entry = entries[s];
            if (entry == null) {
                return NIL;
            }
            if ((int) info[s] == h && (entry[0] & 0xff) == keyLength
                    && Arrays.equals(entry, KEY_OFFSET, KEY_OFFSET + keyLength, key, 0, keyLength)) {
                return s;
            }
        }
    }

    /**
     * Adds the key in {@code key[0, keyLength)}, not here yet, referenced; both arrays are copied.
     * Entry handles taken before are void (the table may regrow).
     */
    int insert(byte[] key, int keyLength, long hash, int keyGroup, byte[] state, boolean isDirty) {
        if (keyLength > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a serialized flow key of " + keyLength + " bytes (at most "
                    + MAX_KEY_BYTES + ")");
        }
        if (keyGroup < 0 || keyGroup > MAX_KEY_GROUP) {
            throw new IllegalArgumentException("key group " + keyGroup + " (at most " + MAX_KEY_GROUP + ")");
        }
        if ((size + 1) * 4L > entries.length * 3L) {
            grow();
        }
        byte[] entry = new byte[KEY_OFFSET + keyLength + state.length];
        entry[0] = (byte) keyLength;
        System.arraycopy(key, 0, entry, KEY_OFFSET, keyLength);
        System.arraycopy(state, 0, entry, KEY_OFFSET + keyLength, state.length);
        int s = freeSlot((int) hash);
        entries[s] = entry;
        info[s] = (hash & HASH_BITS) | ((long) keyGroup << GROUP_SHIFT) | (isDirty ? DIRTY : 0) | REFERENCED;
        size++;
        return s;
    }

    /** Marks {@code e} used since the last sweep: the next {@link #victim} passes it over once. */
    void touch(int e) {
        info[e] |= REFERENCED;
    }

    /**
     * The entry to evict: the first at or after the hand not referenced since the hand last passed
     * it (passing clears the bit), or {@link #NIL} when empty.
     */
    int victim() {
        if (size == 0) {
            return NIL;
        }
        int mask = entries.length - 1;
        while (true) {
            int s = hand;
            hand = (hand + 1) & mask;
            if (entries[s] == null) {
                continue;
            }
            if ((info[s] & REFERENCED) == 0) {
                return s;
            }
            info[s] &= ~REFERENCED;
        }
    }

    /** Removes entry {@code e}; later entries of its probe run move back (handles taken before are void). */
    void remove(int e) {
        int mask = entries.length - 1;
        int hole = e;
        for (int j = (e + 1) & mask; entries[j] != null; j = (j + 1) & mask) {
            int home = (int) info[j] & mask;
            // The entry at j may fill the hole if the hole lies on its probe path home..j.
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                entries[hole] = entries[j];
                info[hole] = info[j];
                hole = j;
            }
        }
        entries[hole] = null;
        info[hole] = 0;
        size--;
    }

    /** The entry's array: its key from {@link #KEY_OFFSET}, then its state from {@link #stateOffset}. Not to be changed. */
    byte[] entry(int e) {
        return entries[e];
    }

    int keyLength(int e) {
        return entries[e][0] & 0xff;
    }

    /** Where the entry's state starts in {@link #entry}. */
    int stateOffset(int e) {
        return KEY_OFFSET + keyLength(e);
    }

    int stateLength(int e) {
        return entries[e].length - stateOffset(e);
    }

    /** A copy of the entry's key bytes. */
    byte[] key(int e) {
        return Arrays.copyOfRange(entries[e], KEY_OFFSET, stateOffset(e));
    }

    /** A copy of the entry's state bytes. */
    byte[] state(int e) {
        return Arrays.copyOfRange(entries[e], stateOffset(e), entries[e].length);
    }

    /** Replaces the entry's state: in place when it keeps its length, else in a new array. */
    void setState(int e, byte[] state) {
        int offset = stateOffset(e);
        byte[] entry = entries[e].length == offset + state.length
                ? entries[e]
                : Arrays.copyOf(entries[e], offset + state.length);
        System.arraycopy(state, 0, entry, offset, state.length);
        entries[e] = entry;
    }

    boolean dirty(int e) {
        return (info[e] & DIRTY) != 0;
    }

    void setDirty(int e, boolean isDirty) {
        info[e] = isDirty ? info[e] | DIRTY : info[e] & ~DIRTY;
    }

    int keyGroup(int e) {
        return (int) (info[e] >>> GROUP_SHIFT) & MAX_KEY_GROUP;
    }

    /** The number of slots: with {@link #live} this visits every entry in memory order. */
    int entryLimit() {
        return entries.length;
    }

    /** Whether slot {@code e} (below {@link #entryLimit}) holds a flow. */
    boolean live(int e) {
        return entries[e] != null;
    }

    int size() {
        return size;
    }

    /** Bytes the slot arrays take (references counted as 4 bytes, as with compressed oops). */
    long slotBytes() {
        return entries.length * (4L + 8L);
    }

    private int freeSlot(int hash) {
        int mask = entries.length - 1;
        int s = hash & mask;
        while (entries[s] != null) {
            s = (s + 1) & mask;
        }
        return s;
    }

    /** Doubles the slots and puts every entry back at its hash's place. */
    private void grow() {
        byte[][] oldEntries = entries;
        long[] oldInfo = info;
        entries = new byte[oldEntries.length * 2][];
        info = new long[oldEntries.length * 2];
        hand = 0;
        for (int s = 0; s < oldEntries.length; s++) {
            if (oldEntries[s] != null) {
                int t = freeSlot((int) oldInfo[s]);
                entries[t] = oldEntries[s];
                info[t] = oldInfo[s];
            }
        }
    }
}
