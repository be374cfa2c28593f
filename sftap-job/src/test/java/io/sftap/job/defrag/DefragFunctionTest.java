package io.sftap.job.defrag;

import static io.sftap.job.defrag.FragmentFixtures.T0;
import static io.sftap.job.defrag.FragmentFixtures.at;
import static io.sftap.job.defrag.FragmentFixtures.v4;
import static io.sftap.job.defrag.FragmentFixtures.v6;
import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.typeinfo.PacketTypeInfoFactory;
import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.Packet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DefragFunctionTest {
    private static final long MS = 1_000_000L;
    private static final long T0_MS = T0 / MS;
    private static final long TIMEOUT_MS = 30_000L;

    private DefragFunction function;
    private KeyedOneInputStreamOperatorTestHarness<FragmentKey, Packet, Packet> harness;

    @BeforeEach
    void setUp() throws Exception {
        function = new DefragFunction(DefragLimits.defaults());
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                function, new FragmentKeySelector(), FragmentKeySelector.KEY_TYPE);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(KeyedOneInputStreamOperatorTestHarness<FragmentKey, Packet, Packet> h, Packet p)
            throws Exception {
        h.processElement(p, p.timestampNanos / MS);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void emitsTheWholeDatagramAndLeavesNoStateOrTimer() throws Exception {
        send(harness, at(v4(1, 8, false, 'B', 5), T0));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        send(harness, at(v4(1, 0, true, 'A', 8), T0 + 3 * MS));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(p -> {
            assertThat(text(p.payload)).isEqualTo("AAAAAAAABBBBB");
            assertThat(p.fragment).isFalse();
            assertThat(p.timestampNanos).isEqualTo(T0 + 3 * MS);
        });
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(function.reassembledCounter().getCount()).isEqualTo(1);
    }

    @Test
    void keepsDatagramsOfDifferentKeysApart() throws Exception {
        send(harness, v4(1, 0, true, 'A', 8));
        send(harness, v6(1, 0, true, 'X', 8));
        send(harness, v4(2, 0, true, 'M', 8));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);

        send(harness, v6(1, 8, false, 'Y', 1));
        send(harness, v4(1, 8, false, 'B', 1));

        assertThat(harness.extractOutputValues()).extracting(p -> text(p.payload))
                .containsExactly("XXXXXXXXY", "AAAAAAAAB");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void timerDropsTheIncompleteDatagramAtTheTimeout() throws Exception {
        send(harness, at(v4(1, 0, true, 'A', 8), T0));
        send(harness, at(v4(1, 16, false, 'C', 8), T0 + 10_000 * MS));

        harness.processWatermark(T0_MS + TIMEOUT_MS - 1);
        assertThat(harness.numKeyedStateEntries()).as("not yet due").isEqualTo(1);

        harness.processWatermark(T0_MS + TIMEOUT_MS);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(function.dropCounter(DropReason.FRAGMENT_TIMEOUT).getCount()).isEqualTo(1);
    }

    @Test
    void lateFragmentPastTheDeadlineStartsAFreshDatagramBeforeTheTimerFires() throws Exception {
        send(harness, at(v4(1, 0, true, 'A', 8), T0));
        send(harness, at(v4(1, 8, false, 'B', 8), T0 + (TIMEOUT_MS + 1) * MS));

        assertThat(function.dropCounter(DropReason.FRAGMENT_TIMEOUT).getCount()).isEqualTo(1);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).as("old timer moved to the new deadline").isEqualTo(1);

        harness.processWatermark(T0_MS + TIMEOUT_MS);
        assertThat(harness.numKeyedStateEntries()).as("new datagram survives the old deadline").isEqualTo(1);

        harness.processWatermark(T0_MS + 2 * TIMEOUT_MS + 1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(function.dropCounter(DropReason.FRAGMENT_TIMEOUT).getCount()).isEqualTo(2);
    }

    @Test
    void limitDropClearsStateAndTimer() throws Exception {
        function = new DefragFunction(new DefragLimits(Duration.ofSeconds(30), 2, 65535));
        try (KeyedOneInputStreamOperatorTestHarness<FragmentKey, Packet, Packet> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        function, new FragmentKeySelector(), FragmentKeySelector.KEY_TYPE)) {
            send(h, v4(1, 0, true, 'A', 8));
            send(h, v4(1, 0, true, 'A', 8));
            send(h, v4(1, 8, false, 'B', 8));

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(function.dropCounter(DropReason.FRAGMENT_LIMIT).getCount()).isEqualTo(1);
        }
    }

    @Test
    void malformedFragmentIsCountedAndStoresNothing() throws Exception {
        send(harness, v4(1, 0, true, 'A', 12));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(function.dropCounter(DropReason.FRAGMENT_MALFORMED).getCount()).isEqualTo(1);
    }

    @Test
    void completesAHalfDatagramAfterSnapshotAndRestore() throws Exception {
        send(harness, at(v6(9, 0, true, 'A', 16), T0));
        send(harness, at(v6(9, 24, false, 'C', 2), T0 + MS));
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0_MS + 1);
        harness.close();

        DefragFunction restoredFunction = new DefragFunction(DefragLimits.defaults());
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(restoredFunction),
                new FragmentKeySelector(),
                FragmentKeySelector.KEY_TYPE);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        send(harness, at(v6(9, 16, true, 'B', 8), T0 + 2 * MS));

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(p -> assertThat(text(p.payload)).isEqualTo("AAAAAAAAAAAAAAAABBBBBBBBCC"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(restoredFunction.reassembledCounter().getCount()).isEqualTo(1);
    }

    @Test
    void restoredTimerStillDropsTheDatagram() throws Exception {
        send(harness, at(v4(4, 0, true, 'A', 8), T0));
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0_MS);
        harness.close();

        DefragFunction restoredFunction = new DefragFunction(DefragLimits.defaults());
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(restoredFunction),
                new FragmentKeySelector(),
                FragmentKeySelector.KEY_TYPE);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processWatermark(T0_MS + TIMEOUT_MS);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(restoredFunction.dropCounter(DropReason.FRAGMENT_TIMEOUT).getCount()).isEqualTo(1);
    }

    @Test
    void keyByAcceptsTheSelectorAndAMethodReference() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Packet p = v4(1, 0, true, 'A', 8);

        KeyedStream<Packet, FragmentKey> bySelector = env.fromData(p).keyBy(new FragmentKeySelector());
        KeyedStream<Packet, FragmentKey> byReference = env.fromData(p).keyBy(FragmentKey::of);

        assertThat(bySelector.getKeyType()).isInstanceOf(PojoTypeInfo.class);
        assertThat(byReference.getKeyType()).isEqualTo(bySelector.getKeyType());
        assertThat(bySelector.process(new DefragFunction(DefragLimits.defaults())).getType())
                .isEqualTo(PacketTypeInfoFactory.TYPE);
    }
}
