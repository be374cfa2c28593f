package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
    void keepsLeastRecentlyUsedOrderAcrossTouchesAndRemovals() {
        EncodedFlowTable t = new EncodedFlowTable();
        for (int i = 1; i <= 4; i++) {
            t.insert(key(i), 4, hash(i), i % 7, new byte[] {(byte) i}, false);
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

    @Test
    void matchesAnAccessOrderedLinkedMapUnderRandomInsertsTouchesAndRemovals() {
        EncodedFlowTable t = new EncodedFlowTable();
        Map<Integer, Byte> model = new LinkedHashMap<>(16, 0.75f, true);
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            int i = random.nextInt(3000);
            int e = find(t, i);
            assertThat(e != EncodedFlowTable.NIL).isEqualTo(model.containsKey(i));
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (e == EncodedFlowTable.NIL) {
                        t.insert(key(i), 4, hash(i), i % 7, state(step), step % 2 == 0);
                        model.put(i, (byte) step);
                    } else {
                        t.setState(e, state(step)); // same or another length: in place or a new array
                        t.touch(e);
                        model.put(i, (byte) step);
                    }
                }
                case 1 -> {
                    if (e != EncodedFlowTable.NIL) {
                        t.remove(e);
                        model.remove(i);
                    }
                }
                default -> {
                    if (e != EncodedFlowTable.NIL) {
                        t.touch(e);
                        assertThat(t.state(e)[0]).isEqualTo(model.get(i));
                        assertThat(t.state(e)).hasSize(t.stateLength(e));
                        assertThat(t.key(e)).isEqualTo(key(i));
                    }
                }
            }
        }
        assertThat(t.size()).isEqualTo(model.size());
        assertThat(keyOrder(t)).containsExactlyElementsOf(model.keySet());
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
