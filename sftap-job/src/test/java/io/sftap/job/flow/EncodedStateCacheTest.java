package io.sftap.job.flow;

import static io.sftap.job.flow.EncodedStateCache.DEADLINE_UNKNOWN;
import static io.sftap.job.flow.EncodedStateCache.NO_DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.wire.FlowKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The encoded state cache keeps flows' bytes up to its budget and writes newer ones to keyed state. */
class EncodedStateCacheTest {
    /** Budget for exactly two entries of {@link #bytes} (10 bytes each). */
    static final long TWO_ENTRIES = 2 * (10 + EncodedStateCache.ENTRY_OVERHEAD_BYTES);

    final List<String> written = new ArrayList<>();
    final EncodedStateCache.Backend recorder = (key, state, lacksTimer) ->
            written.add(key.port1 + "=" + state[0] + (lacksTimer ? " without timer" : ""));

    /**
     * Timers as the flow abstractor keeps them, by a state's first byte: {@link #deadlines} answers
     * the walk's questions (none: no deadline), and arming records the flow's port and makes the
     * first byte 100 more.
     */
    final Map<Integer, Long> deadlines = new HashMap<>();
    final List<Integer> armed = new ArrayList<>();
    int deadlineQuestions;
    final EncodedStateCache.Timers timers = new EncodedStateCache.Timers() {
        @Override
        public long deadline(byte[] page, int offset, int length) {
            deadlineQuestions++;
            return deadlines.getOrDefault((int) page[offset], NO_DEADLINE);
        }

        @Override
        public byte[] arm(FlowKey key, byte[] page, int offset, int length) {
            armed.add(key.port1);
            return bytes(page[offset] + 100);
        }
    };

    private static FlowKey flow(int port) {
        FlowKey key = new FlowKey(0, 4, 6, new byte[] {10, 0, 0, 1}, port, new byte[] {10, 0, 0, 2}, 80);
        return key;
    }

    private static byte[] bytes(int first) {
        byte[] b = new byte[10];
        b[0] = (byte) first;
        b[1] = (byte) (first >>> 8);
        return b;
    }

    @Test
    void keepsFlowsWithinItsBudgetAndEvictsTheLeastRecentlyUsed() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(TWO_ENTRIES, recorder);
        byte[] one = bytes(1);
        cache.putClean(flow(1), one);
        cache.putClean(flow(2), bytes(2));
        assertThat(cache.get(flow(1))).isEqualTo(one); // flow 1 is now the most recent
        cache.putClean(flow(3), bytes(3));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.usedBytes()).isEqualTo(TWO_ENTRIES);
        assertThat(cache.get(flow(2))).isNull();
        assertThat(cache.get(flow(1))).isEqualTo(one);
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.rejected()).isZero();
        assertThat(written).as("clean entries are dropped, not written").isEmpty();
    }

    @Test
    void aPutAfterAHitDoesNotReachTheHitsEntryOnceThatFlowWasEvictedAndItsEntryReused() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(TWO_ENTRIES, recorder);
        FlowKey one = flow(1);
        cache.putClean(one, bytes(1));
        cache.putClean(flow(2), bytes(2));
        assertThat(cache.get(one)).isEqualTo(bytes(1)); // the hit the next put of `one` would reuse
        cache.putClean(flow(2), bytes(2));
        cache.putDirty(flow(3), bytes(3), NO_DEADLINE); // evicts flow 1
        cache.putDirty(flow(4), bytes(4), NO_DEADLINE); // takes flow 1's entry number, evicts flow 2

        cache.putDirty(one, bytes(9), NO_DEADLINE);

        assertThat(cache.get(flow(4))).isEqualTo(bytes(4));
        assertThat(cache.get(flow(1))).isEqualTo(bytes(9));
    }

    @Test
    void aPutAfterAHitFindsThatFlowAgainOnceTheTableGrew() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(1 << 24, recorder);
        FlowKey one = flow(1);
        cache.putDirty(one, bytes(1), NO_DEADLINE);
        assertThat(cache.get(one)).isEqualTo(bytes(1));
        for (int k = 2; k <= 5000; k++) {
            cache.putDirty(flow(k), bytes(k), NO_DEADLINE); // the table doubles a few times
        }

        cache.putDirty(one, bytes(9), NO_DEADLINE);

        assertThat(cache.get(flow(1))).isEqualTo(bytes(9));
        for (int k = 2; k <= 5000; k++) {
            assertThat(cache.get(flow(k))).as("flow %d", k).isEqualTo(bytes(k));
        }
    }

    @Test
    void aPutAfterAHitUpdatesThatFlow() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(1 << 20, recorder);
        FlowKey one = flow(1);
        cache.putClean(one, bytes(1));
        cache.putClean(flow(2), bytes(2));
        assertThat(cache.get(one)).isEqualTo(bytes(1));

        cache.putDirty(one, bytes(9), NO_DEADLINE);

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(flow(1))).isEqualTo(bytes(9));
        assertThat(cache.get(flow(2))).isEqualTo(bytes(2));
    }

    @Test
    void anEvictedDirtyFlowIsWrittenWithItsLatestBytes() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(TWO_ENTRIES, recorder);
        cache.putClean(flow(1), bytes(10));
        cache.putDirty(flow(1), bytes(11), NO_DEADLINE);
        cache.putDirty(flow(2), bytes(20), NO_DEADLINE);
        cache.putClean(flow(2), bytes(21)); // read back from keyed state: the entry stays dirty
        cache.putDirty(flow(3), bytes(30), NO_DEADLINE);
        cache.putDirty(flow(4), bytes(40), NO_DEADLINE);

        assertThat(written).containsExactly("1=11", "2=21");
        assertThat(cache.writes()).isEqualTo(2);
    }

    @Test
    void aLargerStateEvictsAsManyFlowsAsItsBytesNeed() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(TWO_ENTRIES + 5, recorder);
        cache.putDirty(flow(1), bytes(1), NO_DEADLINE);
        cache.putDirty(flow(2), bytes(2), NO_DEADLINE);
        cache.putDirty(flow(2), new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, NO_DEADLINE);

        assertThat(written).containsExactly("1=1");
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.usedBytes()).as("the grown state's record keeps room to grow again")
                .isEqualTo(16 + EncodedFlowTable.GROWTH_ROOM_BYTES + EncodedStateCache.ENTRY_OVERHEAD_BYTES);
    }

    @Test
    void aSnapshotTakesTheDirtyFlowsByKeyGroupWritesNothingAndLeavesThemDirty() throws Exception {
        // Key group = port % 3 + 10: this instance holds key groups 10..12.
        EncodedStateCache cache = new EncodedStateCache(1 << 20, recorder, key -> key.port1 % 3 + 10);
        for (int port = 1; port <= 7; port++) {
            if (port == 4) {
                cache.putClean(flow(port), bytes(port));
            } else {
                cache.putDirty(flow(port), bytes(port), NO_DEADLINE);
            }
        }

        EncodedStateCache.DirtyFlows dirty = cache.dirtyByKeyGroup(10, 3);

        assertThat(dirty.total()).isEqualTo(6);
        assertThat(portsOf(dirty, 0)).containsExactlyInAnyOrder(3, 6);
        assertThat(portsOf(dirty, 1)).as("port 4 is clean: keyed state holds it").containsExactlyInAnyOrder(1, 7);
        assertThat(portsOf(dirty, 2)).containsExactlyInAnyOrder(2, 5);
        dirty.forEach(2, (page, keyOffset, keyLength, stateOffset, stateLength) -> assertThat(page[stateOffset])
                .isEqualTo((byte) FlowKeyBytes.read(page, keyOffset, keyLength).port1));
        assertThat(written).isEmpty();
        assertThat(cache.dirtyByKeyGroup(10, 3).total()).as("still dirty for the next snapshot").isEqualTo(6);
        assertThatThrownBy(() -> cache.dirtyByKeyGroup(11, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key group 10");
    }

    private static List<Integer> portsOf(EncodedStateCache.DirtyFlows dirty, int group) throws Exception {
        List<Integer> ports = new ArrayList<>();
        dirty.forEach(group, (page, keyOffset, keyLength, stateOffset, stateLength) ->
                ports.add(FlowKeyBytes.read(page, keyOffset, keyLength).port1));
        assertThat(ports).hasSize(dirty.count(group));
        return ports;
    }

    @Test
    void aBimodalCacheRefusesMostNewFlowsAndWritesTheDirtyOnesAtOnce() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(100 * (10 + EncodedStateCache.ENTRY_OVERHEAD_BYTES), recorder);
        for (int round = 0; round < 10; round++) {
            for (int port = 0; port < 1000; port++) {
                visit(cache, flow(port), round);
            }
        }
        assertThat(cache.bimodal()).isTrue();
        written.clear();
        long rejectedBefore = cache.rejected();
        for (int port = 5000; port < 5320; port++) {
            visit(cache, flow(port), 7);
        }
        assertThat(cache.rejected() - rejectedBefore).isEqualTo(310);
        // The 310 refused are written at once; the 10 let in each evict a held (dirty) flow.
        assertThat(written.stream().filter(w -> w.endsWith("=7"))).hasSize(310);
        assertThat(written.stream().filter(w -> w.endsWith("=9"))).hasSize(10);
        assertThat(cache.size()).isEqualTo(100);
    }

    @Test
    void flowsVisitedInTurnBeyondTheBudgetKeepTheHeldOnesHitting() throws Exception {
        int held = 100;
        EncodedStateCache cache = new EncodedStateCache(held * (10 + EncodedStateCache.ENTRY_OVERHEAD_BYTES), recorder);
        long hits = 0;
        for (int round = 0; round < 30; round++) {
            long before = cache.hits();
            for (int port = 0; port < 1000; port++) {
                visit(cache, flow(port), round);
            }
            hits += round >= 10 ? cache.hits() - before : 0;
        }
        // A plain LRU would hit nothing here: each new flow would push out the one asked for next.
        assertThat(cache.bimodal()).isTrue();
        assertThat(hits / 20).as("hits per round, of %d flows held", held).isGreaterThanOrEqualTo(held / 3);
        assertThat(cache.size()).isEqualTo(held);
    }

    @Test
    void flowsAskedForAgainSoonStayLeastRecentlyUsedFirst() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(100 * (10 + EncodedStateCache.ENTRY_OVERHEAD_BYTES), recorder);
        long hits = 0;
        long visits = 0;
        for (int t = 0; t < 20_000; t++) {
            // Each flow is visited three times, 20 new flows apart, then never again.
            for (int age : new int[] {0, 20, 40}) {
                if (t >= age) {
                    long before = cache.hits();
                    visit(cache, flow(t - age), t);
                    hits += t > 5000 ? cache.hits() - before : 0;
                    visits += t > 5000 ? 1 : 0;
                }
            }
        }
        assertThat(cache.bimodal()).isFalse();
        assertThat((double) hits / visits).as("hit ratio; the best possible is 2/3").isGreaterThan(0.6);
    }

    /** The operator's visit of a flow: look it up, then store its changed state. */
    private static void visit(EncodedStateCache cache, FlowKey key, int value) throws Exception {
        cache.get(key);
        cache.putDirty(key, bytes(value), NO_DEADLINE);
    }

    @Test
    void aRemovedFlowIsNeitherWrittenNorCounted() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(TWO_ENTRIES, recorder);
        cache.putDirty(flow(1), bytes(1), NO_DEADLINE);
        cache.remove(flow(1));
        cache.remove(flow(9)); // unknown: nothing happens

        assertThat(written).isEmpty();
        assertThat(cache.size()).isZero();
        assertThat(cache.usedBytes()).isZero();
        assertThat(cache.dirtyByKeyGroup(0, 1).total()).isZero();
        assertThat(cache.get(flow(1))).isNull();
    }

    @Test
    void aZeroBudgetKeepsNothingAndWritesEveryDirtyStateAtOnce() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(0, recorder);
        cache.putDirty(flow(1), bytes(1), NO_DEADLINE);
        cache.putClean(flow(2), bytes(2));

        assertThat(written).containsExactly("1=1");
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFlowKeptWithoutATimerIsArmedWhenAWatermarkReachesItsDeadlineAndNotBefore() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(1 << 20, recorder);
        cache.putDirty(flow(1), bytes(1), 1_000);
        cache.putDirty(flow(2), bytes(2), 5_000);
        cache.putDirty(flow(3), bytes(3), NO_DEADLINE); // has its timer

        cache.armTimersDueBy(999, timers);
        assertThat(cache.timerWalks()).as("no deadline can have come: no walk").isZero();
        cache.armTimersDueBy(1_000, timers);
        assertThat(armed).containsExactly(1);
        assertThat(cache.get(flow(1))).as("the armed state replaces the kept one").isEqualTo(bytes(101));
        cache.armTimersDueBy(4_999, timers);
        assertThat(cache.timerWalks()).as("the next deadline is 5000: one walk so far").isEqualTo(1);
        cache.armTimersDueBy(Long.MAX_VALUE, timers);
        assertThat(armed).containsExactly(1, 2);
        assertThat(cache.timersArmed()).isEqualTo(2);
        assertThat(cache.dirtyByKeyGroup(0, 1).total()).as("armed flows stay dirty").isEqualTo(3);
        assertThat(deadlineQuestions).as("known deadlines are not asked for").isZero();
    }

    @Test
    void aNewerStateOrARemovalReplacesTheDeadlineOfTheOldOne() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(1 << 20, recorder);
        cache.putDirty(flow(1), bytes(1), 1_000);
        cache.putDirty(flow(1), bytes(11), NO_DEADLINE); // now with its timer
        cache.putDirty(flow(2), bytes(2), 1_000);
        cache.putDirty(flow(2), bytes(12), 9_000); // a packet moved its deadline
        cache.putDirty(flow(3), bytes(3), 1_000);
        cache.remove(flow(3)); // ended; its entry number is free, not walked

        cache.armTimersDueBy(8_999, timers);
        assertThat(armed).isEmpty();
        cache.armTimersDueBy(9_000, timers);
        assertThat(armed).containsExactly(2);
    }

    @Test
    void unknownDeadlinesAreAskedForByTheFirstWalkAndAfterARulesChangeAllAgain() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(1 << 20, recorder);
        deadlines.put(1, 2_000L);
        cache.putDirty(flow(1), bytes(1), DEADLINE_UNKNOWN); // restored
        cache.putDirty(flow(2), bytes(2), DEADLINE_UNKNOWN); // restored, with its timer
        cache.putDirty(flow(3), bytes(3), 5_000);

        cache.armTimersDueBy(1_000, timers);
        assertThat(deadlineQuestions).isEqualTo(2);
        assertThat(armed).isEmpty();
        cache.armTimersDueBy(1_999, timers);
        assertThat(cache.timerWalks()).as("the earliest deadline is now known to be 2000").isEqualTo(1);

        deadlines.put(3, 1_500L); // shorter timeouts
        cache.deadlinesChanged();
        cache.armTimersDueBy(1_999, timers);
        assertThat(armed).containsExactly(3);
        assertThat(deadlineQuestions).as("flows 1 and 3 asked again").isEqualTo(4);
    }

    @Test
    void aFlowEvictedOrRefusedWithoutATimerGoesToTheBackendAsSuch() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(TWO_ENTRIES, recorder);
        cache.putDirty(flow(1), bytes(1), 1_000);
        cache.putDirty(flow(2), bytes(2), NO_DEADLINE);
        cache.putDirty(flow(3), bytes(3), DEADLINE_UNKNOWN); // evicts flow 1
        cache.putDirty(flow(4), bytes(4), NO_DEADLINE); // evicts flow 2
        assertThat(written).containsExactly("1=1 without timer", "2=2");

        EncodedStateCache none = new EncodedStateCache(0, recorder);
        none.putDirty(flow(5), bytes(5), 1_000);
        assertThat(written).endsWith("5=5 without timer");
    }

    @Test
    void statesAboveTheEntryLimitDoNotFit() {
        assertThat(EncodedStateCache.fits(new byte[EncodedStateCache.MAX_ENTRY_BYTES])).isTrue();
        assertThat(EncodedStateCache.fits(new byte[EncodedStateCache.MAX_ENTRY_BYTES + 1])).isFalse();
    }

    @Test
    void autoBudgetIsHalfTheHeapSharedByTheParallelSubtasksAQuarterWithHeapState() {
        long gib = 1L << 30;
        long auto = FlowAbstractorFunction.AUTO_ENCODED_CACHE;
        assertThat(FlowAbstractorFunction.encodedCacheBudget(auto, 4 * gib, 1, false)).isEqualTo(2 * gib);
        assertThat(FlowAbstractorFunction.encodedCacheBudget(auto, 4 * gib, 2, false)).isEqualTo(gib);
        assertThat(FlowAbstractorFunction.encodedCacheBudget(auto, 4 * gib, 2, true)).isEqualTo(gib / 2);
        assertThat(FlowAbstractorFunction.encodedCacheBudget(12345, 4 * gib, 2, false)).isEqualTo(12345);
        assertThat(FlowAbstractorFunction.encodedCacheBudget(0, 4 * gib, 2, true)).isZero();
    }

    @Test
    void autoBudgetIsSharedByTheInstancesOneProcessMayHoldNotByTheWholeParallelism() {
        assertThat(FlowAbstractorFunction.instancesPerProcess(2, 2)).as("sftap run").isEqualTo(2);
        assertThat(FlowAbstractorFunction.instancesPerProcess(16, 4)).as("a TaskManager of 4 slots").isEqualTo(4);
        assertThat(FlowAbstractorFunction.instancesPerProcess(2, 8)).as("fewer instances than slots").isEqualTo(2);
    }
}
