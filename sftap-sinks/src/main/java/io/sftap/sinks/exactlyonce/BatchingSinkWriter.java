package io.sftap.sinks.exactlyonce;

import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.wire.WireFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;

/**
 * Writer of the {@link ExactlyOnceInterfaceSink}: encodes each event in its interface's wire
 * format and collects it; at each checkpoint ({@link #prepareCommit}, before the barrier) hands
 * the collected events over as one {@link EventBatch}. Sends nothing itself.
 */
@Internal
final class BatchingSinkWriter implements CommittingSinkWriter<FlowEvent, EventBatch>, StatefulSinkWriter<FlowEvent, Long> {
    private final int subtask;
    private final Counter unrouted;
    private List<EventBatch.Entry> entries = new ArrayList<>();
    private long firstEventMillis;
    /** Sequence of the last batch handed over. */
    private long sequence;

    BatchingSinkWriter(int subtask, long sequence, Counter unrouted) {
        this.subtask = subtask;
        this.sequence = sequence;
        this.unrouted = unrouted;
    }

    @Override
    public void write(FlowEvent event, Context context) {
        if (event.socket == null) {
            unrouted.inc();
            return;
        }
        if (entries.isEmpty()) {
            firstEventMillis = System.currentTimeMillis();
        }
        entries.add(new EventBatch.Entry(event.socket, WireFormat.forEvent(event).encode(event)));
    }

    @Override
    public Collection<EventBatch> prepareCommit() {
        if (entries.isEmpty()) {
            return List.of();
        }
        sequence++;
        EventBatch batch = new EventBatch(subtask, sequence, firstEventMillis, entries);
        entries = new ArrayList<>();
        return List.of(batch);
    }

    @Override
    public List<Long> snapshotState(long checkpointId) {
        return List.of(sequence);
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public void close() {}
}
