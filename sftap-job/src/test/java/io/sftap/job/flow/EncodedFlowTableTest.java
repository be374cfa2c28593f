package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-addressed table finds, updates and frees entries as a map would, and evicts in CLOCK order. */
class EncodedFlowTableTest {
    private static byte[] key(int i) {
        return new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
    }

    /** A hash four keys share (so probe runs hold equal hashes and keys decide), spread otherwise. */
    private static long hash(int i) {
        return (i / 4) * 0x9E3779B97F4A7C15L;
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

    @Test
    void findsWhatItHoldsThroughCollidingBucketsAndGrowth() {
        EncodedFlowTable t = new EncodedFlowTable();
        for (int i = 0; i < 5000; i++) {
            t.insert(key(i), 4, hash(i), i % 7, new byte[] {(byte) i}, false);
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
    void victimGivesASecondChanceToEntriesReferencedSinceTheHandPassed() {
        EncodedFlowTable t = new EncodedFlowTable();
        for (int i = 1; i <= 4; i++) {
            t.insert(key(i), 4, hash(i), i % 7, new byte[] {(byte) i}, false);
        }
        int first = keyNumber(t.key(t.victim())); // none referenced: the first the hand meets
        t.remove(find(t, first));
        int kept = first == 2 ? 3 : 2;
        t.touch(find(t, kept));

        List<Integer> evicted = new ArrayList<>();
        while (t.size() > 0) {
            int v = t.victim();
            evicted.add(keyNumber(t.key(v)));
            t.remove(v);
        }
        assertThat(evicted).hasSize(3).doesNotHaveDuplicates().endsWith(kept);
        assertThat(t.victim()).isEqualTo(EncodedFlowTable.NIL);
    }

    @Test
    void newEntriesStartReferencedAndTheHandClearsWhatItPasses() {
        EncodedFlowTable t = new EncodedFlowTable();
        for (int i = 1; i <= 4; i++) {
            t.insert(key(i), 4, hash(i), 0, new byte[] {(byte) i}, false);
        }
        int first = keyNumber(t.key(t.victim())); // the hand cleared all four, then met this one again
        t.touch(find(t, first));
        // The others were passed once and not asked for since: each goes before `first` again.
        List<Integer> evicted = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            int v = t.victim();
            evicted.add(keyNumber(t.key(v)));
            t.remove(v);
        }
        assertThat(evicted).doesNotContain(first).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void refusesKeyGroupsAndKeysItCannotRecord() {
        EncodedFlowTable t = new EncodedFlowTable();
        assertThatThrownBy(() -> t.insert(key(1), 4, 1, EncodedFlowTable.MAX_KEY_GROUP + 1, new byte[1], false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.insert(new byte[300], 300, 1, 0, new byte[1], false))
                .isInstanceOf(IllegalArgumentException.class);
        t.insert(key(1), 4, 1, EncodedFlowTable.MAX_KEY_GROUP, new byte[1], true);
        assertThat(t.keyGroup(find(t, 1, 1))).isEqualTo(EncodedFlowTable.MAX_KEY_GROUP);
        assertThat(t.dirty(find(t, 1, 1))).isTrue();
    }

    private static int find(EncodedFlowTable t, int i, long hash) {
        return t.find(key(i), 4, hash);
    }

    private static int keyNumber(byte[] k) {
        return ((k[0] & 0xff) << 24) | ((k[1] & 0xff) << 16) | ((k[2] & 0xff) << 8) | (k[3] & 0xff);
    }

    @Test
    void matchesAMapUnderRandomInsertsUpdatesAndRemovalsInCollidingProbeRuns() {
        EncodedFlowTable t = new EncodedFlowTable();
        Map<Integer, Byte> model = new HashMap<>();
        Map<Integer, Boolean> dirtyModel = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            int i = random.nextInt(3000);
            int e = find(t, i);
            assertThat(e != EncodedFlowTable.NIL).isEqualTo(model.containsKey(i));
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (e == EncodedFlowTable.NIL) {
                        t.insert(key(i), 4, hash(i), i % 7, state(step), step % 2 == 0);
                        dirtyModel.put(i, step % 2 == 0);
                    } else {
                        t.setState(e, state(step)); // same or another length: in place or a new array
                        t.setDirty(e, step % 2 == 0);
                        t.touch(e);
                        dirtyModel.put(i, step % 2 == 0);
                    }
                    model.put(i, (byte) step);
                }
                case 1 -> {
                    if (e != EncodedFlowTable.NIL) {
                        t.remove(e);
                        model.remove(i);
                    }
                }
                case 2 -> {
                    if (t.size() > 0 && random.nextInt(8) == 0) {
                        int v = t.victim();
                        model.remove(keyNumber(t.key(v)));
                        t.remove(v);
                    }
                }
                default -> {
                    if (e != EncodedFlowTable.NIL) {
                        t.touch(e);
                        assertThat(t.state(e)[0]).isEqualTo(model.get(i));
                        assertThat(t.state(e)).hasSize(t.stateLength(e));
                        assertThat(t.key(e)).isEqualTo(key(i));
                        assertThat(t.dirty(e)).isEqualTo(dirtyModel.get(i));
                    }
                }
            }
        }
        assertThat(t.size()).isEqualTo(model.size());
        List<Integer> inMemoryOrder = new ArrayList<>();
        for (int e = 0; e < t.entryLimit(); e++) {
            if (t.live(e)) {
                inMemoryOrder.add(keyNumber(t.key(e)));
                assertThat(t.keyGroup(e)).isEqualTo(keyNumber(t.key(e)) % 7);
            }
        }
        assertThat(inMemoryOrder).containsExactlyInAnyOrderElementsOf(model.keySet());
    }
}
