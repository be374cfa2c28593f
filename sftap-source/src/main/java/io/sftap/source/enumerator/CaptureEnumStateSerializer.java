package io.sftap.source.enumerator;

import io.sftap.source.split.CaptureSplit;
import io.sftap.source.split.CaptureSplitSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned serializer of {@link CaptureEnumState}.
 *
 * <p>Version 1: the split serializer's version (int), the split count (int), then each split as a
 * length-prefixed {@link CaptureSplitSerializer} record, so split formats evolve on their own.
 * Version 2 appends the handed-out live split ids: a count (int), then each id as length-prefixed
 * UTF-8. Version-1 bytes read with no live split handed out.
 */
@Internal
public final class CaptureEnumStateSerializer implements SimpleVersionedSerializer<CaptureEnumState> {
    public static final int CURRENT_VERSION = 2;

    private final CaptureSplitSerializer splitSerializer = new CaptureSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(CaptureEnumState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(splitSerializer.getVersion());
        out.writeInt(state.pendingSplits().size());
        for (CaptureSplit split : state.pendingSplits()) {
            byte[] b = splitSerializer.serialize(split);
            out.writeInt(b.length);
            out.write(b);
        }
        out.writeInt(state.assignedLiveSplitIds().size());
        for (String id : state.assignedLiveSplitIds()) {
            byte[] b = id.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public CaptureEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != 2) {
            throw new IOException("unknown capture enumerator state version " + version + " (this build reads 1 and 2)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
        int splitVersion = in.readInt();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("corrupt capture enumerator state: " + count + " splits");
        }
        List<CaptureSplit> splits = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            int n = in.readInt();
            if (n < 0 || n > in.available()) {
                throw new IOException("corrupt capture enumerator state: split of " + n + " bytes");
            }
            splits.add(splitSerializer.deserialize(splitVersion, in.readNBytes(n)));
        }
        Set<String> assignedLive = new HashSet<>();
        if (version >= 2) {
            int ids = in.readInt();
            if (ids < 0) {
                throw new IOException("corrupt capture enumerator state: " + ids + " live split ids");
            }
            for (int i = 0; i < ids; i++) {
                int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    throw new IOException("corrupt capture enumerator state: live split id of " + n + " bytes");
                }
                assignedLive.add(new String(in.readNBytes(n), StandardCharsets.UTF_8));
            }
        }
        return new CaptureEnumState(splits, assignedLive);
    }
}
