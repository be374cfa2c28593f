package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The array-backed table finds, orders and frees entries as a linked map would. */
class EncodedFlowTableTest {
    private static byte[] key(int i) {
        return new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
    }

    /** A hash whose low bits collide a lot, so buckets hold chains. */
    private static long hash(int i) {
        return ((long) i << 32) | (i % 7);
    }

    /** A state of 1 to 3 bytes whose first byte is {@code step}'s low byte. */
    private static byte[] state(int step) {
        byte[] b = new byte[1 + step % 3];
        b[0] = (byte) step;
        return b;
    }

    private static int find(EncodedFlowTable t, int i) {
        byte[] k = key(i);
        return t.find(k, k.length, hash(i));
    }

    private static List<Integer> lruOrder(EncodedFlowTable t) {
        List<Integer> order = new ArrayList<>();
        for (int e = t.eldest(); e != EncodedFlowTable.NIL; e = t.newer(e)) {
            order.add((int) t.state(e)[0]);
        }
        return order;
    }

    @Test
    void findsWhatItHoldsThroughCollidingBucketsAndGrowth() {
        EncodedFlowTable t = new EncodedFlowTable();
        for (int i = 0; i < 5000; i++) {
            t.insert(key(i), 4, hash(i), i % 7, new byte[] {(byte) i}, false, EncodedFlowTable.NO_DEADLINE);
        }
        assertThat(t.size()).isEqualTo(5000);
        for (int i = 0; i < 5000; i++) {
            int e = find(t, i);
            assertThat(e).isNotEqualTo(EncodedFlowTable.NIL);
            assertThat(t.state(e)[0]).isEqualTo((byte) i);
            assertThat(t.keyGroup(e)).isEqualTo(i % 7);
        }
        assertThat(find(t, 5000)).isEqualTo(EncodedFlowTable.NIL);
    }

    @Test
    void keepsLeastRecentlyUsedOrderAcrossTouchesAndRemovals() {
        EncodedFlowTable t = new EncodedFlowTable();
        for (int i = 1; i <= 4; i++) {
            t.insert(key(i), 4, hash(i), i % 7, new byte[] {(byte) i}, false, EncodedFlowTable.NO_DEADLINE);
        }
        t.touch(find(t, 2));
        t.touch(find(t, 1));
        t.remove(find(t, 3));

        assertThat(lruOrder(t)).containsExactly(4, 2, 1);
        t.remove(t.eldest());
        t.remove(find(t, 1));
        assertThat(lruOrder(t)).containsExactly(2);
        t.remove(t.eldest());
        assertThat(t.eldest()).isEqualTo(EncodedFlowTable.NIL);
        assertThat(t.size()).isZero();
    }

    private static List<Integer> keyOrder(EncodedFlowTable t) {
        List<Integer> order = new ArrayList<>();
        for (int e = t.eldest(); e != EncodedFlowTable.NIL; e = t.newer(e)) {
            order.add(keyNumber(t.key(e)));
        }
        return order;
    }

    private static int keyNumber(byte[] k) {
        return ((k[0] & 0xff) << 24) | ((k[1] & 0xff) << 16) | ((k[2] & 0xff) << 8) | (k[3] & 0xff);
    }

    /** A state of 1 to 40 bytes whose first byte is {@code step}'s low byte: lengths that grow move records. */
    private static byte[] varyingState(int step) {
        byte[] b = new byte[1 + Math.floorMod(step * 31, 40)];
        b[0] = (byte) step;
        return b;
    }

    /** The keys of group {@code g}'s dirty entries, as a snapshot reads them from the pages. */
    private static List<Integer> dirtyKeys(EncodedFlowTable t, int g) throws Exception {
        List<Integer> keys = new ArrayList<>();
        t.forEachDirty(g, (page, keyOffset, keyLength, stateOffset, stateLength) ->
                keys.add(keyNumber(Arrays.copyOfRange(page, keyOffset, keyOffset + keyLength))));
        return keys;
    }

    @Test
    void matchesAnAccessOrderedLinkedMapUnderRandomInsertsUpdatesAndRemovals() throws Exception {
        EncodedFlowTable t = new EncodedFlowTable();
        Map<Integer, byte[]> model = new LinkedHashMap<>(16, 0.75f, true);
        Set<Integer> dirty = new HashSet<>();
        Random random = new Random(7);
        for (int step = 0; step < 300_000; step++) {
            int i = random.nextInt(3000);
            int e = find(t, i);
            assertThat(e != EncodedFlowTable.NIL).isEqualTo(model.containsKey(i));
            switch (random.nextInt(4)) {
                case 0 -> {
                    byte[] state = varyingState(step);
                    if (e == EncodedFlowTable.NIL) {
                        t.insert(key(i), 4, hash(i), i % 7, state, step % 2 == 0, EncodedFlowTable.NO_DEADLINE);
                        if (step % 2 == 0) {
                            dirty.add(i);
                        }
                    } else {
                        t.setState(e, state); // in place, or moved when it outgrew its record
                        t.touch(e);
                    }
                    model.put(i, state);
                }
                case 1 -> {
                    if (e != EncodedFlowTable.NIL) {
                        t.remove(e);
                        model.remove(i);
                        dirty.remove(i);
                    }
                }
                case 2 -> {
                    if (e != EncodedFlowTable.NIL) {
                        boolean d = random.nextBoolean();
                        t.setDirty(e, d);
                        if (d) {
                            dirty.add(i);
                        } else {
                            dirty.remove(i);
                        }
                    }
                }
                default -> {
                    if (e != EncodedFlowTable.NIL) {
                        t.touch(e);
                        model.get(i); // the model's order follows the touch
                        assertThat(t.state(e)).isEqualTo(model.get(i));
                        assertThat(t.key(e)).isEqualTo(key(i));
                        assertThat(t.dirty(e)).isEqualTo(dirty.contains(i));
                        assertThat(t.keyGroup(e)).isEqualTo(i % 7);
                    }
                }
            }
        }
        assertThat(t.relocations()).as("states outgrew their records").isPositive();
        assertThat(t.compactions()).as("groups were compacted").isPositive();
        assertThat(t.size()).isEqualTo(model.size());
        assertThat(keyOrder(t)).containsExactlyElementsOf(model.keySet());
        for (int g = 0; g < 7; g++) {
            int group = g;
            List<Integer> expected = dirty.stream().filter(k -> k % 7 == group).toList();
            assertThat(dirtyKeys(t, g)).as("group %d", g).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(t.dirtyCount(g)).isEqualTo(expected.size());
        }
        for (Map.Entry<Integer, byte[]> entry : model.entrySet()) {
            assertThat(t.state(find(t, entry.getKey()))).isEqualTo(entry.getValue());
        }
        assertThat(t.dirtyGroupOutside(0, 7)).isEqualTo(-1);
        assertThat(t.dirtyGroupOutside(1, 6)).isZero();
    }

    @Test
    void recordsOfRealSizesStayFoundWholeAndWithTheirDeadlinesThroughMovesCompactionsAndRemovals() {
        EncodedFlowTable t = new EncodedFlowTable();
        byte[][] model = new byte[20_000][];
        long[] deadlines = new long[model.length];
        Random random = new Random(11);
        for (int step = 1; step <= 600_000; step++) {
            int i = random.nextInt(model.length);
            byte[] k = realKey(i);
            int e = t.find(k, k.length, hash(i));
            int op = random.nextInt(10);
            if (op < 6) { // IPv4 keys, states of 40 to 119 random bytes: most updates move the record
                byte[] state = new byte[40 + random.nextInt(80)];
                random.nextBytes(state);
                if (e == EncodedFlowTable.NIL) {
                    deadlines[i] = random.nextBoolean() ? step : EncodedFlowTable.NO_DEADLINE;
                    t.insert(k, k.length, hash(i), i % 8, state, random.nextBoolean(), deadlines[i]);
                } else {
                    t.setState(e, state);
                }
                model[i] = state;
            } else if (op < 8 && e != EncodedFlowTable.NIL) {
                t.remove(e);
                model[i] = null;
            }
            if (step % 50_000 == 0) {
                assertThat(t.inconsistency()).as("step %d", step).isNull();
            }
        }
        assertThat(t.compactions()).isGreaterThan(100);
        int liveWithDeadline = 0;
        for (int i = 0; i < model.length; i++) {
            byte[] k = realKey(i);
            int e = t.find(k, k.length, hash(i));
            assertThat(e == EncodedFlowTable.NIL ? null : t.state(e)).as("flow %d", i).isEqualTo(model[i]);
            if (e != EncodedFlowTable.NIL) {
                assertThat(t.deadline(e)).as("deadline of flow %d", i).isEqualTo(deadlines[i]);
                liveWithDeadline += deadlines[i] != EncodedFlowTable.NO_DEADLINE ? 1 : 0;
            }
        }
        int withDeadline = 0;
        for (int e = 0; e < t.entryNumbersUsed(); e++) {
            withDeadline += t.deadline(e) != EncodedFlowTable.NO_DEADLINE ? 1 : 0;
        }
        assertThat(withDeadline).as("no free entry number keeps a deadline").isEqualTo(liveWithDeadline);
    }

    /** A 17-byte key, as an IPv4 flow's. */
    private static byte[] realKey(int i) {
        byte[] k = Arrays.copyOf(key(i), 17);
        Arrays.fill(k, 4, 17, (byte) 0x5a);
        return k;
    }

    @Test
    void aStateThatShrankFarBelowItsRecordMovesToOneOfItsSizeAndASmallShrinkStaysInPlace() {
        EncodedFlowTable t = new EncodedFlowTable();
        int e = t.insert(key(1), 4, hash(1), 0, new byte[400], true, EncodedFlowTable.NO_DEADLINE); // a flow buffering payload
        t.setState(e, new byte[400 - EncodedFlowTable.MAX_UNUSED_STATE_BYTES]);
        assertThat(t.relocations()).isZero();
        assertThat(t.recordBytes(e)).isEqualTo(EncodedFlowTable.HEADER_BYTES + 4 + 400);

        t.setState(e, new byte[] {7, 7, 7}); // the payload went out
        assertThat(t.relocations()).isOne();
        assertThat(t.recordBytes(e)).isEqualTo(EncodedFlowTable.HEADER_BYTES + 4 + 3);
        assertThat(t.state(e)).containsExactly(7, 7, 7);
        assertThat(t.dirty(e)).isTrue();
        assertThat(t.inconsistency()).isNull();
        assertThatThrownBy(() -> t.setState(e, new byte[EncodedFlowTable.MAX_STATE_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + EncodedFlowTable.MAX_STATE_BYTES);
        t.setState(e, new byte[EncodedFlowTable.MAX_STATE_BYTES]); // the largest fills a page of its own
        assertThat(t.stateLength(e)).isEqualTo(EncodedFlowTable.MAX_STATE_BYTES);
    }

    @Test
    void aStateThatGrewGetsRoomForTheNextFewBytesOfGrowth() {
        EncodedFlowTable t = new EncodedFlowTable();
        int e = t.insert(key(1), 4, hash(1), 0, new byte[46], true, EncodedFlowTable.NO_DEADLINE);
        t.setState(e, new byte[47]); // a varint one byte longer
        assertThat(t.relocations()).isOne();
        assertThat(t.recordBytes(e)).isEqualTo(EncodedFlowTable.HEADER_BYTES + 4 + 47 + EncodedFlowTable.GROWTH_ROOM_BYTES);
        for (int length = 48; length <= 47 + EncodedFlowTable.GROWTH_ROOM_BYTES; length++) {
            t.setState(e, new byte[length]);
        }
        assertThat(t.relocations()).as("growth within the room stays in place").isOne();
        assertThat(t.stateLength(e)).isEqualTo(47 + EncodedFlowTable.GROWTH_ROOM_BYTES);
        t.setState(e, new byte[46]);
        assertThat(t.relocations()).as("a small shrink stays too").isOne();
        assertThat(t.state(e)).hasSize(46);
    }

    @Test
    void compactionKeepsThePagesNearTheLiveRecordsAndEmptyGroupsFreeTheirs() {
        EncodedFlowTable t = new EncodedFlowTable();
        int flows = 2000;
        for (int i = 0; i < flows; i++) {
            t.insert(key(i), 4, hash(i), 0, new byte[10], true, EncodedFlowTable.NO_DEADLINE);
        }
        for (int round = 1; round <= 200; round++) { // every state grows: each round moves every record
            for (int i = 0; i < flows; i++) {
                byte[] state = new byte[10 + round % 50];
                state[0] = (byte) (i + round);
                t.setState(find(t, i), state);
            }
        }
        long liveBytes = flows * (EncodedFlowTable.HEADER_BYTES + 4 + 59L + EncodedFlowTable.GROWTH_ROOM_BYTES);
        assertThat(t.compactions()).isPositive();
        assertThat((long) t.pagesInUse() * EncodedFlowTable.PAGE_BYTES)
                .as("live records and at most a quarter dead, plus the page being filled")
                .isLessThanOrEqualTo(liveBytes * 4 / 3 + 2L * EncodedFlowTable.PAGE_BYTES);
        for (int i = 0; i < flows; i++) {
            int e = find(t, i);
            assertThat(t.state(e)[0]).isEqualTo((byte) (i + 200));
            assertThat(t.dirtyCount(0)).isEqualTo(flows);
        }
        for (int i = 0; i < flows; i++) {
            t.remove(find(t, i));
        }
        assertThat(t.pagesInUse()).as("an empty group keeps no page").isZero();
        assertThat(t.dirtyCount(0)).isZero();
    }
}
