package io.sftap.sinks.exactlyonce;

import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * The committable of the {@link ExactlyOnceInterfaceSink}: the encoded events one writer subtask
 * received between two checkpoints, in order, released to the sockets when the checkpoint that
 * covers them completes.
 *
 * <p>{@code sequence} numbers the batches of one writer subtask (1, 2, ...; continued across
 * restores through writer state); the committer releases a batch only if its sequence is above the
 * last one it released (see {@link ReleaseMarker}), which makes re-commits after a restore
 * harmless.
 */
@Internal
public final class EventBatch {
    /** One encoded event and its socket. */
    public record Entry(String socket, byte[] bytes) {}

    public final int subtask;
    public final long sequence;
    /** Wall-clock time the first event of the batch was written (for the release-delay metric). */
    public final long firstEventMillis;
    public final List<Entry> entries;

    public EventBatch(int subtask, long sequence, long firstEventMillis, List<Entry> entries) {
        this.subtask = subtask;
        this.sequence = sequence;
        this.firstEventMillis = firstEventMillis;
        this.entries = List.copyOf(entries);
    }

    public long bytes() {
        long n = 0;
        for (Entry e : entries) {
            n += e.bytes.length;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EventBatch)) {
            return false;
        }
        EventBatch b = (EventBatch) o;
        if (subtask != b.subtask || sequence != b.sequence || firstEventMillis != b.firstEventMillis
                || entries.size() != b.entries.size()) {
            return false;
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry x = entries.get(i);
            Entry y = b.entries.get(i);
            if (!x.socket.equals(y.socket) || !java.util.Arrays.equals(x.bytes, y.bytes)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(subtask, sequence, entries.size());
    }

    @Override
    public String toString() {
        return "EventBatch{subtask " + subtask + " #" + sequence + ", " + entries.size() + " events}";
    }
}
