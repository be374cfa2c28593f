package io.sftap.job.defrag;

import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.Packet;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The Flink operator of IP defragmentation: keyed by {@link FragmentKey}, it keeps one {@link
 * FragmentBuffer} per datagram in keyed state and emits each datagram once it is whole.
 *
 * <p>Per fragment: load the buffer, call {@link Defragmenter#accept}, count, then store the buffer
 * (or clear the state when it is empty) and move the event-time timer to the buffer's deadline
 * (first fragment's packet time plus the timeout). When the timer fires the datagram is dropped as
 * {@link DropReason#FRAGMENT_TIMEOUT} and the state cleared. Metrics, under group {@code sftap}:
 * {@code datagrams_reassembled}, and {@code drop.<reason>} per {@link DropReason}.
 */
@Internal
public class DefragFunction extends KeyedProcessFunction<FragmentKey, Packet, Packet> {
    private static final long serialVersionUID = 1L;

    /** Name of the keyed state; part of the savepoint format, never rename it. */
    public static final String BUFFER_STATE_NAME = "defrag-fragment-buffer";

    private static final long NO_TIMER = Long.MIN_VALUE;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final DefragLimits limits;

    private transient Defragmenter defragmenter;
    private transient ValueState<byte[]> bufferState;
    private transient Counter reassembled;
    private transient MetricGroup dropGroup;
    private transient Map<DropReason, Counter> drops;

    public DefragFunction(DefragLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) {
        defragmenter = new Defragmenter(limits);
        bufferState = getRuntimeContext().getState(new ValueStateDescriptor<>(
                BUFFER_STATE_NAME, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        MetricGroup sftap = getRuntimeContext().getMetricGroup().addGroup("sftap");
        reassembled = sftap.counter("datagrams_reassembled");
        dropGroup = sftap.addGroup("drop");
        drops = new EnumMap<>(DropReason.class);
        dropCounter(DropReason.FRAGMENT_TIMEOUT);
        dropCounter(DropReason.FRAGMENT_LIMIT);
        dropCounter(DropReason.FRAGMENT_MALFORMED);
    }

    @Override
    public void processElement(Packet fragment, Context ctx, Collector<Packet> out) throws Exception {
        FragmentBuffer buffer = load();
        long timerBefore = timerOf(buffer);
        DefragOutcome outcome = defragmenter.accept(buffer, fragment);
        if (outcome.previousTimedOut()) {
            dropCounter(DropReason.FRAGMENT_TIMEOUT).inc();
        }
        switch (outcome.status()) {
            case COMPLETED:
                reassembled.inc();
                out.collect(outcome.datagram());
                break;
            case DROPPED:
                dropCounter(outcome.reason()).inc();
                break;
            case PENDING:
                break;
        }
        long timerAfter = timerOf(buffer);
        if (timerAfter != timerBefore) {
            if (timerBefore != NO_TIMER) {
                ctx.timerService().deleteEventTimeTimer(timerBefore);
            }
            if (timerAfter != NO_TIMER) {
                ctx.timerService().registerEventTimeTimer(timerAfter);
            }
        }
        if (buffer.isEmpty()) {
            bufferState.clear();
        } else {
            bufferState.update(FragmentBufferCodec.toBytes(buffer));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Packet> out) throws Exception {
        FragmentBuffer buffer = load();
        // Timers of finished datagrams are deleted, but a stale one must not drop a newer datagram.
        if (timerOf(buffer) != timestamp) {
            return;
        }
        dropCounter(DropReason.FRAGMENT_TIMEOUT).inc();
        bufferState.clear();
    }

    private FragmentBuffer load() throws Exception {
        byte[] stored = bufferState.value();
        return stored == null ? new FragmentBuffer() : FragmentBufferCodec.fromBytes(stored);
    }

    /** The event-time timer (ms) for the buffer's deadline, rounded up so it never fires early. */
    private long timerOf(FragmentBuffer buffer) {
        if (buffer.isEmpty()) {
            return NO_TIMER;
        }
        return -Math.floorDiv(-defragmenter.deadlineNanos(buffer), NANOS_PER_MILLI);
    }

    @VisibleForTesting
    Counter reassembledCounter() {
        return reassembled;
    }

    @VisibleForTesting
    Counter dropCounter(DropReason reason) {
        return drops.computeIfAbsent(reason, r -> dropGroup.counter(r.metricName()));
    }
}
