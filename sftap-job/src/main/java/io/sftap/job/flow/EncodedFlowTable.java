package io.sftap.job.flow;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A hash map from serialized flow keys to encoded states in least-recently-used order. Entries are
 * numbered; per entry number a few parallel arrays hold the hash, the bucket chain, the LRU links
 * and where the entry's record lies, and the records themselves (a header, the key's bytes, the
 * state's) lie one after the other in large pages, each page holding the records of one Flink key
 * group. No entry, node, key or per-entry array objects: links that are ints cost the garbage
 * collector nothing, and a snapshot, which writes every changed flow grouped by key group, reads
 * each group's pages front to back instead of millions of small arrays scattered over the heap (a
 * cache and TLB miss each, half of a snapshot's time at 10M open flows, docs/performance.md
 * section 18).
 *
 * <p>A record is {@value #HEADER_BYTES} bytes of header (flags, key length, state capacity, state
 * length, entry number), the key, then room for {@code capacity} bytes of state. A state that
 * outgrows its room, or shrinks far below it, moves to the end of its group's pages; the old record
 * stays as a dead one until its group is compacted, which happens in place once a quarter of the
 * group's pages (and at least a page) is dead records. The entry number in the header lets compaction update
 * where a record now lies.
 *
 * <p>Beside each entry the table keeps a deadline its owner sets ({@link #deadline}): the encoded
 * cache's record of a flow kept without its idle timer, walked by entry number.
 *
 * <p>Chained hashing: {@code buckets} holds the first entry of each bucket, {@code chain} the
 * next; a free entry number is chained on the free list instead. Not thread-safe; reading a
 * group's records ({@link #forEachDirty}) from other threads is safe while nothing changes.
 */
final class EncodedFlowTable {
    static final int NIL = -1;
    /** {@link #deadline} of an entry whose flow has its timer, or wants none, and of a free entry number. */
    static final long NO_DEADLINE = Long.MAX_VALUE;
    /** Longest serialized key an entry holds (its length is kept in a byte; IPv6 keys take 41). */
    static final int MAX_KEY_BYTES = 0xff;
    /** Bytes of a record's header: flags 1, key length 1, state capacity 2, state length 2, entry number 4. */
    static final int HEADER_BYTES = 10;
    /** Bytes of a page: far above a flow's record, small enough that a key group of a few flows wastes little. */
    static final int PAGE_BYTES = 1 << 15;
    /** Longest state a record holds: a record never spans pages (the cache keeps far smaller ones). */
    static final int MAX_STATE_BYTES = PAGE_BYTES - HEADER_BYTES - MAX_KEY_BYTES;
    /**
     * Most room a record keeps unused for a state that shrank: beyond it the state moves to a
     * record of its size, so a flow that once buffered payload does not hold that room (and the
     * cache's budget) for the rest of its life.
     */
    static final int MAX_UNUSED_STATE_BYTES = 8;
    /**
     * Room a state that outgrew its record gets beyond its length in the new one: a flow's state
     * grows a byte or two at a time as it ages (its varints lengthen), and without room each such
     * step moves the record again (40.1M moves for 77M packets at 10M open sessions). At most
     * {@link #MAX_UNUSED_STATE_BYTES}.
     */
    static final int GROWTH_ROOM_BYTES = 4;
    /** Free pages kept for reuse (the rest go to the garbage collector): a few groups' growth. */
    private static final int POOLED_PAGES = 256;
    private static final int INITIAL_ENTRIES = 1024;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final byte LIVE = 1;
    private static final byte DIRTY = 2;

    /** Visits a record's key and state in place (bytes valid only during the call). */
    @FunctionalInterface
    interface RecordVisitor {
        void visit(byte[] page, int keyOffset, int keyLength, int stateOffset, int stateLength) throws IOException;
    }

    private int[] buckets = filled(INITIAL_ENTRIES);
    /** The key's hash: skips most key comparisons in a bucket, and rechains on growth. */
    private long[] hashes = new long[INITIAL_ENTRIES];
    private int[] chain = new int[INITIAL_ENTRIES];
    private int[] older = new int[INITIAL_ENTRIES];
    private int[] newer = new int[INITIAL_ENTRIES];
    /** Page number in the high half, offset of the record in the low half. */
    private long[] locations = new long[INITIAL_ENTRIES];
    /** Per entry, the idle deadline of a flow kept without its timer (see {@link #deadline}). */
    private long[] deadlines = filledLongs(INITIAL_ENTRIES);
    private int eldest = NIL;
    private int youngest = NIL;
    private int free = NIL;
    /** Entry numbers below this have been used. */
    private int used;
    private int size;

    /** Pages by number; null for a number not in use whose page went to the garbage collector. */
    private byte[][] pages = new byte[16][];
    /** Bytes of records (live or dead) at the start of each page. */
    private int[] pageFill = new int[16];
    /** Key group of each page number in use. */
    private int[] pageGroups = new int[16];
    /** Page numbers free for reuse, as a stack; up to {@link #POOLED_PAGES} of them keep their page. */
    private int[] freePageNumbers = new int[16];
    private int freePages;
    private int pageNumbersUsed;
    /** Key groups by number; null for one that holds no page. */
    private KeyGroupPages[] groups = new KeyGroupPages[128];
    private long relocations;
    private long compactions;

    /** The pages and counts of one key group's records. */
    private static final class KeyGroupPages {
        final int keyGroup;
        /** Page numbers in order; records are appended to the last. */
        int[] pages = new int[4];
        int pageCount;
        /** Bytes of dead records in the pages. */
        long deadBytes;
        /** Live records, and those of them that are dirty. */
        int live;
        int dirtyLive;

        KeyGroupPages(int keyGroup) {
            this.keyGroup = keyGroup;
        }
    }

    /** The entry of the key serialized in {@code key[0, keyLength)} with this hash, or {@link #NIL}. */
    int find(byte[] key, int keyLength, long hash) {
        for (int e = buckets[bucket(hash)]; e != NIL; e = chain[e]) {
            if (hashes[e] == hash) {
                byte[] page = pages[pageOf(e)];
                int at = offsetOf(e);
                if ((page[at + 1] & 0xff) == keyLength
                        && Arrays.equals(page, at + HEADER_BYTES, at + HEADER_BYTES + keyLength, key, 0, keyLength)) {
                    return e;
                }
            }
        }
        return NIL;
    }

    /**
     * Adds the key in {@code key[0, keyLength)}, not here yet, as the youngest entry; both are
     * copied. {@code deadline}: see {@link #deadline}.
     */
    int insert(byte[] key, int keyLength, long hash, int keyGroup, byte[] state, boolean isDirty, long deadline) {
        if (keyLength > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a serialized flow key of " + keyLength + " bytes (at most "
                    + MAX_KEY_BYTES + ")");
        }
        checkStateLength(state);
        int e = free;
        if (e != NIL) {
            free = chain[e];
        } else {
            if (used == hashes.length) {
                grow();
            }
            e = used++;
        }
        KeyGroupPages group = group(keyGroup);
        long location = append(group, HEADER_BYTES + keyLength + state.length);
        locations[e] = location;
        byte[] page = pages[(int) (location >>> 32)];
        int at = (int) location;
        page[at] = isDirty ? LIVE | DIRTY : LIVE;
        page[at + 1] = (byte) keyLength;
        putShort(page, at + 2, state.length);
        putShort(page, at + 4, state.length);
        putInt(page, at + 6, e);
        System.arraycopy(key, 0, page, at + HEADER_BYTES, keyLength);
        System.arraycopy(state, 0, page, at + HEADER_BYTES + keyLength, state.length);
        group.live++;
        if (isDirty) {
            group.dirtyLive++;
        }
        hashes[e] = hash;
        deadlines[e] = deadline;
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
        chain[e] = free;
        free = e;
        deadlines[e] = NO_DEADLINE;
        size--;
        kill(pageOf(e), offsetOf(e));
    }

    /** The page that holds the entry's record (see {@link #keyOffset}, {@link #stateOffset}). Not to be changed. */
    byte[] page(int e) {
        return pages[pageOf(e)];
    }

    /** Where the entry's key starts in its {@link #page}. */
    int keyOffset(int e) {
        return offsetOf(e) + HEADER_BYTES;
    }

    int keyLength(int e) {
        return pages[pageOf(e)][offsetOf(e) + 1] & 0xff;
    }

    /** Where the entry's state starts in its {@link #page}. */
    int stateOffset(int e) {
        return keyOffset(e) + keyLength(e);
    }

    int stateLength(int e) {
        return getShort(pages[pageOf(e)], offsetOf(e) + 4);
    }

    /** Bytes the entry's record takes in its page: header, key and the room for its state. */
    int recordBytes(int e) {
        byte[] page = pages[pageOf(e)];
        int at = offsetOf(e);
        return HEADER_BYTES + (page[at + 1] & 0xff) + getShort(page, at + 2);
    }

    /** A copy of the entry's key bytes. */
    byte[] key(int e) {
        int from = keyOffset(e);
        return Arrays.copyOfRange(page(e), from, from + keyLength(e));
    }

    /** A copy of the entry's state bytes. */
    byte[] state(int e) {
        int from = stateOffset(e);
        return Arrays.copyOfRange(page(e), from, from + stateLength(e));
    }

    /**
     * Replaces the entry's state: in place when its record has room and would leave at most
     * {@value #MAX_UNUSED_STATE_BYTES} bytes of it unused, else in a new record at the end of its
     * group's pages (which may compact the group, moving other records too): of the state's size
     * when it shrank, with {@value #GROWTH_ROOM_BYTES} bytes more when it grew.
     */
    void setState(int e, byte[] state) {
        checkStateLength(state);
        int p = pageOf(e);
        byte[] page = pages[p];
        int at = offsetOf(e);
        int keyLength = page[at + 1] & 0xff;
        int capacity = getShort(page, at + 2);
        if (state.length <= capacity && capacity - state.length <= MAX_UNUSED_STATE_BYTES) {
            putShort(page, at + 4, state.length);
            System.arraycopy(state, 0, page, at + HEADER_BYTES + keyLength, state.length);
            return;
        }
        relocations++; // a state that outgrew its record, or shrank far below it
        KeyGroupPages group = groups[groupOfPage(p)];
        int newCapacity = state.length > capacity
                ? Math.min(state.length + GROWTH_ROOM_BYTES, MAX_STATE_BYTES)
                : state.length;
        long location = append(group, HEADER_BYTES + keyLength + newCapacity);
        byte[] to = pages[(int) (location >>> 32)];
        int toAt = (int) location;
        System.arraycopy(page, at, to, toAt, HEADER_BYTES + keyLength); // flags, key and entry number stay
        putShort(to, toAt + 2, newCapacity);
        putShort(to, toAt + 4, state.length);
        System.arraycopy(state, 0, to, toAt + HEADER_BYTES + keyLength, state.length);
        locations[e] = location;
        group.live++; // kill() counts the old record off again
        if ((page[at] & DIRTY) != 0) {
            group.dirtyLive++;
        }
        kill(p, at);
    }

    /**
     * The idle deadline (event-time millis) of the entry's flow, kept here while the flow has no
     * timer, or {@link #NO_DEADLINE}: the caller's to set, the table only keeps it per entry.
     */
    long deadline(int e) {
        return deadlines[e];
    }

    void setDeadline(int e, long deadline) {
        deadlines[e] = deadline;
    }

    /**
     * Entry numbers in use are below this: a walk over {@code [0, entryNumbersUsed())} that skips
     * {@link #NO_DEADLINE} sees every entry with a deadline, free numbers never.
     */
    int entryNumbersUsed() {
        return used;
    }

    boolean dirty(int e) {
        return (pages[pageOf(e)][offsetOf(e)] & DIRTY) != 0;
    }

    void setDirty(int e, boolean isDirty) {
        int p = pageOf(e);
        byte[] page = pages[p];
        int at = offsetOf(e);
        boolean was = (page[at] & DIRTY) != 0;
        if (was != isDirty) {
            page[at] = isDirty ? LIVE | DIRTY : LIVE;
            groups[groupOfPage(p)].dirtyLive += isDirty ? 1 : -1;
        }
    }

    int keyGroup(int e) {
        return groupOfPage(pageOf(e));
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

    /** Dirty entries of key group {@code keyGroup}. */
    int dirtyCount(int keyGroup) {
        KeyGroupPages group = keyGroup < groups.length ? groups[keyGroup] : null;
        return group == null ? 0 : group.dirtyLive;
    }

    /** A key group outside {@code [first, first + count)} that holds a dirty entry, or -1. */
    int dirtyGroupOutside(int first, int count) {
        for (KeyGroupPages group : groups) {
            if (group != null && group.dirtyLive > 0 && (group.keyGroup < first || group.keyGroup >= first + count)) {
                return group.keyGroup;
            }
        }
        return -1;
    }

    /** Hands every dirty entry of {@code keyGroup} to {@code visitor}, in the order of its pages. */
    void forEachDirty(int keyGroup, RecordVisitor visitor) throws IOException {
        KeyGroupPages group = keyGroup < groups.length ? groups[keyGroup] : null;
        if (group == null || group.dirtyLive == 0) {
            return;
        }
        for (int i = 0; i < group.pageCount; i++) {
            int p = group.pages[i];
            byte[] page = pages[p];
            int fill = pageFill[p];
            for (int at = 0; at < fill; at = next(page, at)) {
                if ((page[at] & (LIVE | DIRTY)) == (LIVE | DIRTY)) {
                    int keyLength = page[at + 1] & 0xff;
                    int keyOffset = at + HEADER_BYTES;
                    visitor.visit(page, keyOffset, keyLength, keyOffset + keyLength, getShort(page, at + 4));
                }
            }
        }
    }

    /** States moved to a new record because they outgrew theirs or shrank far below it. */
    long relocations() {
        return relocations;
    }

    /** Key groups compacted to free the room of dead records. */
    long compactions() {
        return compactions;
    }

    /** Pages the records take (each {@value #PAGE_BYTES} bytes), free ones kept for reuse not counted. */
    int pagesInUse() {
        return pageNumbersUsed - freePages;
    }

    /**
     * What breaks the pages' invariants, or null: every group's pages walk record by record to
     * their fill, and every live record's entry number leads back to it (for tests).
     */
    String inconsistency() {
        for (KeyGroupPages group : groups) {
            if (group == null) {
                continue;
            }
            for (int i = 0; i < group.pageCount; i++) {
                int p = group.pages[i];
                if (pageGroups[p] != group.keyGroup) {
                    return "page " + p + " of key group " + group.keyGroup + " is marked as " + pageGroups[p] + "'s";
                }
                int at = 0;
                while (at < pageFill[p]) {
                    int e = getInt(pages[p], at + 6);
                    if (pages[p][at] != 0 && (e < 0 || e >= used || locations[e] != (((long) p << 32) | at))) {
                        return "the record at " + at + " of page " + p + " names entry " + e + ", which lies elsewhere";
                    }
                    at = next(pages[p], at);
                }
                if (at != pageFill[p]) {
                    return "the records of page " + p + " end at " + at + ", its fill is " + pageFill[p];
                }
            }
        }
        return null;
    }

    private static int next(byte[] page, int at) {
        return at + HEADER_BYTES + (page[at + 1] & 0xff) + getShort(page, at + 2);
    }

    private int pageOf(int e) {
        return (int) (locations[e] >>> 32);
    }

    private int offsetOf(int e) {
        return (int) locations[e];
    }

    private int groupOfPage(int p) {
        return pageGroups[p];
    }

    private KeyGroupPages group(int keyGroup) {
        if (keyGroup < 0) {
            throw new IllegalArgumentException("key group " + keyGroup);
        }
        if (keyGroup >= groups.length) {
            groups = Arrays.copyOf(groups, Math.max(groups.length * 2, keyGroup + 1));
        }
        KeyGroupPages group = groups[keyGroup];
        if (group == null) {
            group = groups[keyGroup] = new KeyGroupPages(keyGroup);
        }
        return group;
    }

    /** Room for a record of {@code bytes} at the end of {@code group}'s pages; its location. */
    private long append(KeyGroupPages group, int bytes) {
        int last = group.pageCount == 0 ? NIL : group.pages[group.pageCount - 1];
        if (last == NIL || pageFill[last] + bytes > PAGE_BYTES) {
            last = newPage(group.keyGroup);
            if (group.pageCount == group.pages.length) {
                group.pages = Arrays.copyOf(group.pages, group.pageCount * 2);
            }
            group.pages[group.pageCount++] = last;
        }
        int at = pageFill[last];
        pageFill[last] = at + bytes;
        return ((long) last << 32) | at;
    }

    /** Marks the record at {@code at} of page {@code p} dead; compacts or frees its group when that pays. */
    private void kill(int p, int at) {
        byte[] page = pages[p];
        KeyGroupPages group = groups[groupOfPage(p)];
        if ((page[at] & DIRTY) != 0) {
            group.dirtyLive--;
        }
        page[at] = 0;
        group.live--;
        group.deadBytes += HEADER_BYTES + (page[at + 1] & 0xff) + getShort(page, at + 2);
        if (group.live == 0) {
            releasePages(group, 0);
            groups[group.keyGroup] = null;
        } else if (group.deadBytes >= PAGE_BYTES && group.deadBytes * 4 >= (long) group.pageCount * PAGE_BYTES) {
            compact(group);
        }
    }

    /**
     * Slides the group's live records to the front of its pages, in order, and frees the pages left
     * empty. A record never moves behind its old place, so copying in place is safe.
     */
    private void compact(KeyGroupPages group) {
        compactions++;
        int to = 0;
        int toAt = 0;
        for (int i = 0; i < group.pageCount; i++) {
            int p = group.pages[i];
            byte[] page = pages[p];
            int fill = pageFill[p];
            for (int at = 0; at < fill; ) {
                int length = next(page, at) - at;
                if (page[at] != 0) {
                    if (to != i || toAt != at) { // else no dead record came before: it stays where it is
                        if (toAt + length > PAGE_BYTES) {
                            pageFill[group.pages[to]] = toAt;
                            to++;
                            toAt = 0;
                        }
                        int toPage = group.pages[to];
                        System.arraycopy(page, at, pages[toPage], toAt, length);
                        // read from the copy: it may overlap the old header
                        locations[getInt(pages[toPage], toAt + 6)] = ((long) toPage << 32) | toAt;
                    }
                    toAt += length;
                }
                at += length;
            }
        }
        pageFill[group.pages[to]] = toAt;
        group.deadBytes = 0;
        releasePages(group, to + 1);
    }

    /** Frees the group's pages from the {@code keep}-th on. */
    private void releasePages(KeyGroupPages group, int keep) {
        for (int i = keep; i < group.pageCount; i++) {
            int p = group.pages[i];
            pageFill[p] = 0;
            if (freePages >= POOLED_PAGES) {
                pages[p] = null;
            }
            freePageNumbers[freePages++] = p;
        }
        group.pageCount = keep;
    }

    /** A page number for {@code keyGroup}, with an empty page: a freed one if any, else a new one. */
    private int newPage(int keyGroup) {
        int p;
        if (freePages > 0) {
            p = freePageNumbers[--freePages];
        } else {
            if (pageNumbersUsed == pages.length) {
                int n = pages.length * 2;
                pages = Arrays.copyOf(pages, n);
                pageFill = Arrays.copyOf(pageFill, n);
                pageGroups = Arrays.copyOf(pageGroups, n);
                freePageNumbers = Arrays.copyOf(freePageNumbers, n);
            }
            p = pageNumbersUsed++;
        }
        if (pages[p] == null) {
            pages[p] = new byte[PAGE_BYTES];
        }
        pageFill[p] = 0;
        pageGroups[p] = keyGroup;
        return p;
    }

    private static void checkStateLength(byte[] state) {
        if (state.length > MAX_STATE_BYTES) {
            throw new IllegalArgumentException("an encoded flow state of " + state.length + " bytes (at most "
                    + MAX_STATE_BYTES + ")");
        }
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
        int capacity = hashes.length * 2;
        hashes = Arrays.copyOf(hashes, capacity);
        chain = Arrays.copyOf(chain, capacity);
        older = Arrays.copyOf(older, capacity);
        newer = Arrays.copyOf(newer, capacity);
        locations = Arrays.copyOf(locations, capacity);
        int before = deadlines.length;
        deadlines = Arrays.copyOf(deadlines, capacity);
        Arrays.fill(deadlines, before, capacity, NO_DEADLINE);
        buckets = filled(capacity);
        for (int e = 0; e < used; e++) { // every entry number is live: insert grows only when none is free
            int b = bucket(hashes[e]);
            chain[e] = buckets[b];
            buckets[b] = e;
        }
    }

    private static long[] filledLongs(int n) {
        long[] a = new long[n];
        Arrays.fill(a, NO_DEADLINE);
        return a;
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, NIL);
        return a;
    }

    private static int getShort(byte[] b, int at) {
        return (short) SHORT.get(b, at) & 0xffff;
    }

    private static void putShort(byte[] b, int at, int v) {
        SHORT.set(b, at, (short) v);
    }

    private static int getInt(byte[] b, int at) {
        return (int) INT.get(b, at);
    }

    private static void putInt(byte[] b, int at, int v) {
        INT.set(b, at, v);
    }
}
