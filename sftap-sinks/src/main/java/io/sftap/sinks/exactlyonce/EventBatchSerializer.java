package io.sftap.sinks.exactlyonce;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned serializer of {@link EventBatch} (committer state in checkpoints).
 *
 * <p>Version 1: subtask (int), sequence (long), first-event time (long), entry count (int), then
 * per entry the socket (UTF) and the encoded event (int length, bytes).
 */
@Internal
public final class EventBatchSerializer implements SimpleVersionedSerializer<EventBatch> {
    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(EventBatch batch) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, batch.bytes() + 64));
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(batch.subtask);
        out.writeLong(batch.sequence);
        out.writeLong(batch.firstEventMillis);
        out.writeInt(batch.entries.size());
        for (EventBatch.Entry e : batch.entries) {
            out.writeUTF(e.socket());
            out.writeInt(e.bytes().length);
            out.write(e.bytes());
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public EventBatch deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown event batch serializer version " + version + " (this build reads 1)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
        int subtask = in.readInt();
        long sequence = in.readLong();
        long first = in.readLong();
        int n = in.readInt();
        List<EventBatch.Entry> entries = new ArrayList<>(Math.max(0, Math.min(n, 1 << 16)));
        for (int i = 0; i < n; i++) {
            String socket = in.readUTF();
            int len = in.readInt();
            if (len < 0 || len > serialized.length) {
                throw new IOException("corrupt event batch: event of " + len + " bytes");
            }
            byte[] b = new byte[len];
            in.readFully(b);
            entries.add(new EventBatch.Entry(socket, b));
        }
        return new EventBatch(subtask, sequence, first, entries);
    }
}
