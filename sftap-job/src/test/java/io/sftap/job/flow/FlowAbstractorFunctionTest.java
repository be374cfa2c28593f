package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Reason;
import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.FrameDecoder;
import io.sftap.source.wire.Packet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The flow abstractor operator in Flink's test harness: state, timers, snapshots, rule pushes. */
class FlowAbstractorFunctionTest {
    static final byte[] CLIENT = Addresses.parse("10.0.0.2");
    static final byte[] SERVER = Addresses.parse("10.0.0.1");
    static final long T0 = 1_700_000_000_000_000_000L;
    static final KeySelector<Packet, FlowKey> BY_FLOW = FlowKey::of;

    final List<Packet> packets = new ArrayList<>();
    final FrameDecoder decoder = new FrameDecoder();

    void capture(long ts, byte[] frame) {
        Packet p = new Packet();
        assertThat(decoder.decode(1, frame, 0, frame.length, ts, p)).isNull();
        packets.add(p);
    }

    static RulesUpdate rules(long version, String httpInterface) {
        return new RulesUpdate(version, FlowProcessorTest.RULES.replace("  if: http", "  if: " + httpInterface), "test.yaml");
    }

    static KeyedBroadcastOperatorTestHarness<FlowKey, Packet, RulesUpdate, FlowEvent> harness(RulesUpdate initial)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new FlowAbstractorFunction(initial), BY_FLOW, TypeInformation.of(FlowKey.class),
                FlowAbstractorFunction.RULES_STATE);
    }

    static void feed(KeyedBroadcastOperatorTestHarness<FlowKey, Packet, RulesUpdate, FlowEvent> h, List<Packet> ps)
            throws Exception {
        for (Packet p : ps) {
            h.processElement(p, p.timestampNanos / 1_000_000L);
        }
    }

    static String bytesFrom(List<FlowEvent> events, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FlowEvent e : events) {
            boolean fromPort = e.type == EventType.DATA
                    && (e.from == io.sftap.source.wire.Direction.FROM_ENDPOINT1 ? e.key.port1 : e.key.port2) == port;
            if (fromPort) {
                out.writeBytes(e.data);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    void httpSession() {
        new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 80, T0)
                .mss(10)
                .handshake()
                .clientSends("GET /state HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))
                .serverSends("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1))
                .close();
    }

    @Test
    void flowContinuesCompletelyAfterSnapshotAndRestore() throws Exception {
        httpSession();
        int half = packets.size() / 2;
        List<FlowEvent> events = new ArrayList<>();

        OperatorSubtaskState snapshot;
        try (var h = harness(rules(1, "http"))) {
            feed(h, packets.subList(0, half));
            events.addAll(h.extractOutputValues());
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = operatorHarness(new CoBroadcastWithKeyedOperator<>(new FlowAbstractorFunction(rules(1, "http")),
                List.of(FlowAbstractorFunction.RULES_STATE)), snapshot)) {
            feed(restored, packets.subList(half, packets.size()));
            events.addAll(restored.extractOutputValues());
        }

        assertWholeHttpSession(events);
        assertThat(events).allSatisfy(e -> assertThat(e.socket).isEqualTo("tcp/http"));
    }

    /** One CREATED, one DESTROYED last, and every byte of {@link #httpSession} in each direction. */
    static void assertWholeHttpSession(List<FlowEvent> events) {
        assertThat(events.stream().map(e -> e.type).collect(Collectors.toList()))
                .startsWith(EventType.CREATED)
                .endsWith(EventType.DESTROYED)
                .filteredOn(t -> t == EventType.CREATED).hasSize(1);
        assertThat(bytesFrom(events, 40000)).isEqualTo("GET /state HTTP/1.1\r\nHost: example\r\n\r\n");
        assertThat(bytesFrom(events, 80)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    }

    @Test
    void idleFlowIsDestroyedByTheTimerWhenTheWatermarkPassesAndLeavesNoTimer() throws Exception {
        httpSession();
        List<Packet> open = packets.subList(0, 5); // handshake and the first request segments, no FIN
        try (var h = harness(rules(1, "http"))) {
            feed(h, open);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            long last = open.get(open.size() - 1).timestampNanos / 1_000_000L;
            // The operator's time is the smaller of its inputs' watermarks; rules never hold it back.
            h.processBroadcastWatermark(Long.MAX_VALUE);

            h.processWatermark(last + 29_000); // not idle long enough
            assertThat(h.extractOutputValues()).extracting(e -> e.type).doesNotContain(EventType.DESTROYED);

            h.processWatermark(last + 31_000);
            List<FlowEvent> out = h.extractOutputValues();
            FlowEvent end = out.get(out.size() - 1);
            assertThat(end.type).isEqualTo(EventType.DESTROYED);
            assertThat(end.reason).isEqualTo(Reason.TIMEOUT);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void pushedRulesClassifyNewFlowsWhileClassifiedFlowsKeepTheirInterface() throws Exception {
        httpSession();
        List<Packet> first = new ArrayList<>(packets);
        packets.clear();
        new TcpSessionWriter(this::capture, CLIENT, 40001, SERVER, 80, T0 + 1_000_000_000L)
                .handshake()
                .clientSends("GET /later HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))
                .serverSends("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))
                .close();
        List<Packet> second = new ArrayList<>(packets);

        try (var h = harness(rules(1, "http"))) {
            feed(h, first.subList(0, first.size() - 3)); // classified, not closed yet
            h.processBroadcastElement(rules(2, "web"), 0);
            feed(h, first.subList(first.size() - 3, first.size()));
            feed(h, second);
            List<FlowEvent> out = h.extractOutputValues();

            assertThat(out).filteredOn(e -> e.key.port2 == 40000 || e.key.port1 == 40000)
                    .allSatisfy(e -> assertThat(e.socket).isEqualTo("tcp/http"));
            assertThat(out).filteredOn(e -> e.key.port2 == 40001 || e.key.port1 == 40001)
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.socket).isEqualTo("tcp/web"));
        }
    }

    @Test
    void badRulesPushIsRefusedAndTheOldRulesStay() throws Exception {
        httpSession();
        try (var h = harness(rules(1, "http"))) {
            h.processBroadcastElement(new RulesUpdate(2, "http:\n  up: '('\n  down: ''\n", "broken.yaml"), 0);
            feed(h, packets);
            assertThat(h.extractOutputValues()).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.socket).isEqualTo("tcp/http"));
        }
    }

    @Test
    void operatorWithAStateCacheEmitsExactlyWhatItEmitsWithoutOne() throws Exception {
        // 12 sessions interleaved packet by packet, half left open for the timer: with a cache of
        // 3 flows most packets find their flow evicted; with 64 every flow stays cached.
        List<Packet> interleaved = interleavedSessions(12);
        List<String> uncached = eventsWithCache(interleaved, 0, false);
        assertThat(uncached).hasSizeGreaterThan(12 * 8);
        // Flink's operator: the cache writes through. Ours: it writes back on eviction.
        assertThat(eventsWithCache(interleaved, 3, false)).isEqualTo(uncached);
        assertThat(eventsWithCache(interleaved, 64, false)).isEqualTo(uncached);
        assertThat(eventsWithCache(interleaved, 3, true)).isEqualTo(uncached);
        assertThat(eventsWithCache(interleaved, 64, true)).isEqualTo(uncached);
        // Behind the write-back cache, encoded states: none, room for about two flows (most go on
        // to keyed state), and room for all.
        assertThat(eventsWithCache(interleaved, 3, true, 0)).isEqualTo(uncached);
        assertThat(eventsWithCache(interleaved, 3, true, 600)).isEqualTo(uncached);
        assertThat(eventsWithCache(interleaved, 1, true, 1 << 20)).isEqualTo(uncached);
    }

    @Test
    void decodedCacheThatStopsAdmittingUnderRoundRobinEmitsExactlyWhatItEmitsWithoutOne() throws Exception {
        // 500 sessions visited in turn through a decoded cache of 8 flows: an LRU of 8 never hits,
        // so after the gate's first window flows go straight between the encoded cache (or keyed
        // state) and the processor, while the flows the cache still holds finish there.
        List<Packet> interleaved = interleavedSessions(500);
        assertThat(interleaved).hasSizeGreaterThan(2 * DecodedCacheGate.WINDOW);
        List<String> uncached = eventsWithCache(interleaved, 0, false);
        assertThat(eventsWithCache(interleaved, 8, true, 1 << 20, false)).isEqualTo(uncached);
        assertThat(eventsWithCache(interleaved, 8, true, 20_000, false)).isEqualTo(uncached); // most go to keyed state
        assertThat(eventsWithCache(interleaved, 8, true, 0, false)).isEqualTo(uncached);
    }

    /**
     * {@code count} HTTP sessions with 7-byte segments, interleaved packet by packet; the odd ones
     * are left open for the idle timer.
     */
    private List<Packet> interleavedSessions(int count) {
        List<List<Packet>> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            packets.clear();
            TcpSessionWriter w = new TcpSessionWriter(this::capture, CLIENT, 41000 + i, SERVER, 80, T0 + i * 1_000_000L)
                    .mss(7)
                    .handshake()
                    .clientSends(("GET /" + i + " HTTP/1.1\r\nHost: example\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1))
                    .serverSends(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + i % 10 + "!").getBytes(StandardCharsets.ISO_8859_1));
            if (i % 2 == 0) {
                w.close();
            }
            sessions.add(new ArrayList<>(packets));
        }
        List<Packet> interleaved = new ArrayList<>();
        for (int k = 0; interleaved.size() < sessions.stream().mapToInt(List::size).sum(); k++) {
            for (List<Packet> s : sessions) {
                if (k < s.size()) {
                    interleaved.add(s.get(k));
                }
            }
        }
        return interleaved;
    }

    @Test
    void flowsKeptEncodedTravelInTheSnapshotWithoutAKeyedStateWrite() throws Exception {
        // Two sessions interleaved through a decoded cache of one flow: each packet evicts the
        // other flow into the encoded cache, which holds both.
        List<Packet> a = session(41000);
        List<Packet> b = session(41001);
        List<FlowEvent> events = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 1, 1 << 20)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            for (int i = 0; i < 5; i++) {
                feed(h, List.of(a.get(i), b.get(i)));
            }
            assertThat(keyedStateEntries(h)).as("both flows live in the caches").isZero();
            assertThat(h.numEventTimeTimers()).as("flows the caches keep wait there without timers").isZero();
            h.prepareSnapshotPreBarrier(1L);
            snapshot = h.snapshot(1L, 1L);
            assertThat(keyedStateEntries(h)).as("the snapshot took them as raw keyed state").isZero();
            assertThat(snapshot.getRawKeyedState()).isNotEmpty();
            events.addAll(h.extractOutputValues());
        }
        try (var restored = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 1, 1 << 20)),
                snapshot)) {
            for (int i = 5; i < Math.max(a.size(), b.size()); i++) {
                feed(restored, i < a.size() ? List.of(a.get(i)) : List.of());
                feed(restored, i < b.size() ? List.of(b.get(i)) : List.of());
            }
            events.addAll(restored.extractOutputValues());
        }
        assertEachSessionWhole(events, 41000, 41001);
    }

    /** The first five packets (handshake, request) of sessions from client ports 41000 on, interleaved; returns the last time in ms. */
    private long openSessionsInterleaved(KeyedBroadcastOperatorTestHarness<FlowKey, Packet, RulesUpdate, FlowEvent> h,
            int sessions) throws Exception {
        List<List<Packet>> flows = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            flows.add(session(41000 + i));
        }
        for (int k = 0; k < 5; k++) {
            for (List<Packet> flow : flows) {
                feed(h, List.of(flow.get(k)));
            }
        }
        return flows.get(0).get(4).timestampNanos / 1_000_000L;
    }

    /** The client ports of the flows these events destroyed by idle timeout. */
    private static List<Integer> timedOut(List<FlowEvent> events) {
        return events.stream().filter(e -> e.type == EventType.DESTROYED && e.reason == Reason.TIMEOUT)
                .map(e -> Math.max(e.key.port1, e.key.port2)).sorted().toList();
    }

    @Test
    void flowsTheEncodedCacheKeepsGetTheirTimersOnlyWhenAWatermarkReachesTheirDeadline() throws Exception {
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 1, 1 << 20)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            long last = openSessionsInterleaved(h, 3);
            assertThat(h.numEventTimeTimers()).isZero();

            h.processWatermark(last + 29_000);
            assertThat(h.numEventTimeTimers()).as("not due yet").isZero();
            assertThat(timedOut(h.extractOutputValues())).isEmpty();

            h.processWatermark(last + 31_000);
            assertThat(timedOut(h.extractOutputValues())).containsExactly(41000, 41001, 41002);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(keyedStateEntries(h)).isZero();
        }
    }

    @Test
    void flowsEvictedFromTheEncodedCacheReachKeyedStateWithTheirTimers() throws Exception {
        long twoFlows = 2 * (EncodedStateCache.TYPICAL_ENTRY_BYTES + 20);
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 1, twoFlows)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            long last = openSessionsInterleaved(h, 6);
            assertThat(keyedStateEntries(h)).as("flows the caches could not hold").isGreaterThan(0);
            assertThat(h.numEventTimeTimers()).as("each with its timer").isGreaterThanOrEqualTo(keyedStateEntries(h));

            h.processWatermark(last + 31_000);
            assertThat(timedOut(h.extractOutputValues())).containsExactly(41000, 41001, 41002, 41003, 41004, 41005);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void flowsRestoredWithoutTimersTimeOutWithOrWithoutAnEncodedCache() throws Exception {
        OperatorSubtaskState snapshot;
        long last;
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 1, 1 << 20)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            last = openSessionsInterleaved(h, 3);
            h.prepareSnapshotPreBarrier(1L);
            snapshot = h.snapshot(1L, 1L);
            assertThat(h.numEventTimeTimers()).as("the snapshot's flows have no timers").isZero();
        }
        for (long encodedBytes : new long[] {1 << 20, 0}) {
            try (var restored = operatorHarness(new FlowAbstractorOperator(
                    new FlowAbstractorFunction(rules(1, "http"), 1, encodedBytes)), snapshot)) {
                restored.processBroadcastWatermark(Long.MAX_VALUE);
                restored.processWatermark(last + 29_000); // no packet since the restore
                assertThat(timedOut(restored.extractOutputValues())).as("encoded cache of %d bytes", encodedBytes).isEmpty();
                restored.processWatermark(last + 31_000);
                assertThat(timedOut(restored.extractOutputValues())).as("encoded cache of %d bytes", encodedBytes)
                        .containsExactly(41000, 41001, 41002);
                assertThat(restored.numEventTimeTimers()).isZero();
            }
        }
    }

    @Test
    void aTimerThatFiresForACachedFlowWithNewerPacketsLeavesItToWaitInTheCacheWithoutATimer() throws Exception {
        httpSession();
        List<Packet> open = packets.subList(0, 5);
        Packet later = io.sftap.source.typeinfo.PacketSerializer.INSTANCE.copy(packets.get(5));
        later.timestampNanos += 20_000_000_000L; // the flow goes on 20 s later
        long last = open.get(4).timestampNanos / 1_000_000L;
        // No encoded cache: the barrier's flush writes the flow to keyed state, with its timer.
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 64, 0)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            feed(h, open);
            h.prepareSnapshotPreBarrier(1L);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            feed(h, List.of(later));

            h.processWatermark(last + 31_000); // the old timer fires; the flow's deadline is 19 s on
            assertThat(h.numEventTimeTimers()).as("no new timer: the cache keeps the flow").isZero();
            assertThat(h.extractOutputValues()).noneMatch(e -> e.type == EventType.DESTROYED);

            h.processWatermark(later.timestampNanos / 1_000_000L + 31_000);
            assertThat(h.extractOutputValues()).last().satisfies(e -> {
                assertThat(e.type).isEqualTo(EventType.DESTROYED);
                assertThat(e.reason).isEqualTo(Reason.TIMEOUT);
            });
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void cachedFlowsSplitByKeyGroupWhenTheSnapshotIsRestoredIntoTwoInstances() throws Exception {
        int sessions = 12;
        int maxParallelism = 8;
        List<List<Packet>> flows = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            flows.add(session(42000 + i));
        }
        List<FlowEvent> events = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 1, 1 << 20)),
                maxParallelism, 1, 0)) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            for (int k = 0; k < 5; k++) {
                for (List<Packet> flow : flows) {
                    feed(h, List.of(flow.get(k)));
                }
            }
            h.prepareSnapshotPreBarrier(1L);
            snapshot = h.snapshot(1L, 1L);
            assertThat(keyedStateEntries(h)).isZero();
            events.addAll(h.extractOutputValues());
        }
        // Instance 0 restores into an encoded cache of about two flows (the rest go on to keyed
        // state), instance 1 without one (all go to keyed state).
        long[] budgets = {2 * (EncodedStateCache.TYPICAL_ENTRY_BYTES + 20), 0};
        int[] flowsPerInstance = new int[2];
        for (int instance = 0; instance < 2; instance++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    snapshot, maxParallelism, 1, 2, instance);
            try (var restored = operatorHarness(new FlowAbstractorOperator(
                    new FlowAbstractorFunction(rules(1, "http"), 1, budgets[instance])), maxParallelism, 2, instance, part)) {
                restored.processBroadcastWatermark(Long.MAX_VALUE);
                for (int k = 5; k < flows.get(0).size(); k++) {
                    for (List<Packet> flow : flows) {
                        Packet p = flow.get(k);
                        if (KeyGroupRangeAssignment.assignKeyToParallelOperator(FlowKey.of(p), maxParallelism, 2) == instance) {
                            feed(restored, List.of(p));
                            flowsPerInstance[instance] += k == 5 ? 1 : 0;
                        }
                    }
                }
                events.addAll(restored.extractOutputValues());
            }
        }
        assertThat(flowsPerInstance[0]).as("flows instance 0 continues").isGreaterThan(2);
        assertThat(flowsPerInstance[1]).as("flows instance 1 continues").isGreaterThan(2);
        assertEachSessionWhole(events, java.util.stream.IntStream.range(42000, 42000 + sessions).toArray());
    }

    @Test
    void rocksDbWithHeapTimersIsRefusedWithTheSettingToChange() throws Exception {
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
        rocksDb.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        var h = new KeyedBroadcastOperatorTestHarness<>(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"))),
                BY_FLOW, TypeInformation.of(FlowKey.class), 1, 1, 0);
        try (h) {
            h.setStateBackend(rocksDb);
            h.setup();
            assertThatThrownBy(() -> h.initializeState((OperatorSubtaskState) null))
                    .hasMessageContaining("state.backend.rocksdb.timer-service.factory: ROCKSDB");
        }
    }

    @Test
    void operatorTellsTheEncodedCacheWhetherKeyedStateSharesTheHeap() throws Exception {
        try (var onHeap = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"))))) {
            assertThat(((FlowAbstractorOperator) onHeap.getOperator()).keyedStateOnHeap()).isTrue();
        }
        var h = new KeyedBroadcastOperatorTestHarness<>(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"))),
                BY_FLOW, TypeInformation.of(FlowKey.class), 1, 1, 0);
        try (h) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.setup();
            h.initializeState((OperatorSubtaskState) null);
            h.open();
            assertThat(((FlowAbstractorOperator) h.getOperator()).keyedStateOnHeap()).isFalse();
        }
    }

    @Test
    void operatorTellsTheEncodedCacheTheSlotsOfItsTaskManager() throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"))),
                BY_FLOW, TypeInformation.of(FlowKey.class), 1, 1, 0);
        try (h) {
            h.getEnvironment().getTaskManagerInfo().getConfiguration()
                    .set(org.apache.flink.configuration.TaskManagerOptions.NUM_TASK_SLOTS, 3);
            h.setup();
            h.initializeState((OperatorSubtaskState) null);
            h.open();
            assertThat(((FlowAbstractorOperator) h.getOperator()).taskSlots()).isEqualTo(3);
        }
    }

    /** Each session from these client ports: one CREATED, one DESTROYED last, all bytes both ways. */
    private static void assertEachSessionWhole(List<FlowEvent> events, int... ports) {
        for (int port : ports) {
            List<FlowEvent> flow = events.stream().filter(e -> e.key.port1 == port || e.key.port2 == port).toList();
            assertThat(flow.stream().map(e -> e.type).toList())
                    .as("events of port %d", port)
                    .startsWith(EventType.CREATED)
                    .endsWith(EventType.DESTROYED)
                    .filteredOn(t -> t == EventType.CREATED).hasSize(1);
            assertThat(bytesFrom(flow, port)).isEqualTo(REQUEST);
            assertThat(bytesFrom(flow, 80)).isEqualTo(RESPONSE);
        }
    }

    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    /** One closed HTTP session from client port {@code port}. */
    private List<Packet> session(int port) {
        packets.clear();
        new TcpSessionWriter(this::capture, CLIENT, port, SERVER, 80, T0)
                .handshake()
                .clientSends(REQUEST.getBytes(StandardCharsets.ISO_8859_1))
                .serverSends(RESPONSE.getBytes(StandardCharsets.ISO_8859_1))
                .close();
        return new ArrayList<>(packets);
    }

    @Test
    void writeBackOperatorFlushesCachedFlowsIntoTheSnapshotTakenMidFlow() throws Exception {
        httpSession();
        int half = packets.size() / 2;
        List<FlowEvent> events = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 64)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            feed(h, packets.subList(0, half));
            events.addAll(h.extractOutputValues());
            h.prepareSnapshotPreBarrier(1L); // what the task does before every checkpoint barrier
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 64)),
                snapshot)) {
            feed(restored, packets.subList(half, packets.size()));
            events.addAll(restored.extractOutputValues());
        }
        assertWholeHttpSession(events);
    }

    @Test
    void cleanlyClosedCachedFlowKeepsNeitherTimerNorKeyedStateAfterTheLastAck() throws Exception {
        httpSession();
        // No encoded cache: the barrier's flush writes the decoded flow to keyed state.
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 64, 0)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            feed(h, packets.subList(0, packets.size() - 1));
            h.prepareSnapshotPreBarrier(1L); // the closing flow reaches keyed state
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(keyedStateEntries(h)).isEqualTo(1);

            feed(h, packets.subList(packets.size() - 1, packets.size())); // the last ACK
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(keyedStateEntries(h)).isZero();
            feed(h, packets.subList(packets.size() - 1, packets.size())); // a stray copy: still absorbed
            h.prepareSnapshotPreBarrier(2L);
            assertThat(keyedStateEntries(h)).as("the tombstone is never written").isZero();
            assertWholeHttpSession(h.extractOutputValues());
        }
    }

    @Test
    void cachedFlowWhoseDeadlineMovesEarlierAfterAWatermarkStillGetsItsTimerInTime() throws Exception {
        new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 22, T0).handshake().reset();
        List<Packet> handshake = packets.subList(0, 3);
        List<Packet> reset = packets.subList(3, packets.size());
        FlowAbstractorFunction f = new FlowAbstractorFunction(rules(1, "http"), 64);
        try (var h = operatorHarness(new FlowAbstractorOperator(f))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            feed(h, handshake);
            long lastMillis = packets.get(packets.size() - 1).timestampNanos / 1_000_000L;
            h.processWatermark(lastMillis + 1_000); // a walk: the open flow is due in 30 s
            feed(h, reset); // now a tombstone that lingers 5 s
            assertThat(f.decodedCacheSize()).isEqualTo(1);

            h.processWatermark(lastMillis + 6_000);
            assertThat(f.decodedCacheSize()).as("the tombstone's timer was armed and fired").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void cachedFlowGetsItsTimerOnlyWhenTheWatermarkReachesItsDeadline() throws Exception {
        httpSession();
        List<Packet> open = packets.subList(0, 5); // handshake and the start of the request
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 64)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            feed(h, open);
            long lastMillis = open.get(open.size() - 1).timestampNanos / 1_000_000L;
            assertThat(h.numEventTimeTimers()).as("a cached flow has no timer").isZero();

            h.processWatermark(lastMillis + 1_000);
            assertThat(h.numEventTimeTimers()).as("not due yet").isZero();
            assertThat(h.extractOutputValues()).noneMatch(e -> e.type == EventType.DESTROYED);

            h.processWatermark(lastMillis + 60_000);
            List<FlowEvent> events = h.extractOutputValues();
            assertThat(events).last().satisfies(e -> {
                assertThat(e.type).isEqualTo(EventType.DESTROYED);
                assertThat(e.reason).isEqualTo(Reason.TIMEOUT);
            });
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(keyedStateEntries(h)).isZero();
        }
    }

    @Test
    void flowClosedByResetKeepsItsTombstoneInKeyedStateUntilTheTimer() throws Exception {
        new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 22, T0).handshake().reset();
        try (var h = operatorHarness(new FlowAbstractorOperator(new FlowAbstractorFunction(rules(1, "http"), 64, 0)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            feed(h, packets);
            h.prepareSnapshotPreBarrier(1L);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(keyedStateEntries(h)).isEqualTo(1);
            h.processWatermark(T0 / 1_000_000L + 60_000);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(keyedStateEntries(h)).isZero();
        }
    }

    /** Entries in the harness's (heap) keyed state backend, over all state names. */
    private static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<FlowKey, Packet, RulesUpdate, FlowEvent> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    static KeyedBroadcastOperatorTestHarness<FlowKey, Packet, RulesUpdate, FlowEvent> operatorHarness(
            CoBroadcastWithKeyedOperator<FlowKey, Packet, RulesUpdate, FlowEvent> operator, OperatorSubtaskState... restore)
            throws Exception {
        return operatorHarness(operator, 1, 1, 0, restore);
    }

    static KeyedBroadcastOperatorTestHarness<FlowKey, Packet, RulesUpdate, FlowEvent> operatorHarness(
            CoBroadcastWithKeyedOperator<FlowKey, Packet, RulesUpdate, FlowEvent> operator, int maxParallelism,
            int parallelism, int subtask, OperatorSubtaskState... restore) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(operator, BY_FLOW, TypeInformation.of(FlowKey.class),
                maxParallelism, parallelism, subtask);
        h.setup();
        h.initializeState(restore.length == 0 ? null : restore[0]);
        h.open();
        return h;
    }

    private static List<String> eventsWithCache(List<Packet> ps, int cachedFlows, boolean writeBack) throws Exception {
        return eventsWithCache(ps, cachedFlows, writeBack, FlowAbstractorFunction.AUTO_ENCODED_CACHE);
    }

    private static List<String> eventsWithCache(List<Packet> ps, int cachedFlows, boolean writeBack, long encodedBytes)
            throws Exception {
        return eventsWithCache(ps, cachedFlows, writeBack, encodedBytes, true);
    }

    /** {@code decodedAdmitting}: whether the decoded cache must still take in flows after the first pass. */
    private static List<String> eventsWithCache(List<Packet> ps, int cachedFlows, boolean writeBack, long encodedBytes,
            boolean decodedAdmitting) throws Exception {
        FlowAbstractorFunction f = new FlowAbstractorFunction(rules(1, "http"), cachedFlows, encodedBytes);
        try (var h = operatorHarness(writeBack
                ? new FlowAbstractorOperator(f)
                : new CoBroadcastWithKeyedOperator<>(f, List.of(FlowAbstractorFunction.RULES_STATE)))) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            long last = feedInOrder(h, ps, 0);
            if (cachedFlows > 0) {
                assertThat(f.decodedCacheAdmitting()).as("decoded cache admitting").isEqualTo(decodedAdmitting);
            }
            h.processWatermark(last + 60_000);
            assertThat(h.numEventTimeTimers()).isZero();
            // The same 4-tuples again, mid-stream (no SYN), after their state ended: a cache that
            // kept a cleared state would treat them as segments after a close, not as new flows.
            long later = feedInOrder(h, ps.stream().filter(p -> !p.hasFlag(io.sftap.source.wire.TcpFlags.SYN))
                    .collect(Collectors.toList()), 120_000_000_000L);
            h.processWatermark(later + 60_000);
            return h.extractOutputValues().stream()
                    .map(e -> e.type + " " + e.key + " " + e.from + " " + e.match + " " + e.reason + " " + e.socket + " "
                            + new String(e.data, StandardCharsets.ISO_8859_1))
                    .collect(Collectors.toList());
        }
    }

    /** Feeds packets in capture order, shifted by {@code shiftNanos}; returns the last time in ms. */
    private static long feedInOrder(KeyedBroadcastOperatorTestHarness<FlowKey, Packet, RulesUpdate, FlowEvent> h,
            List<Packet> ps, long shiftNanos) throws Exception {
        long last = 0;
        for (Packet original : ps) {
            Packet p = io.sftap.source.typeinfo.PacketSerializer.INSTANCE.copy(original);
            p.timestampNanos += shiftNanos;
            last = Math.max(last, p.timestampNanos / 1_000_000L);
            h.processElement(p, last);
        }
        return last;
    }
}
