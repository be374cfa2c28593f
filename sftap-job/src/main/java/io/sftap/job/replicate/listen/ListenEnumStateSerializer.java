package io.sftap.job.replicate.listen;

import java.io.IOException;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Versioned serializer of the enumerator's state: the endpoints not yet handed to a reader. */
public final class ListenEnumStateSerializer implements SimpleVersionedSerializer<List<ListenSplit>> {
    @Override
    public int getVersion() {
        return ListenSplitSerializer.CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(List<ListenSplit> pending) throws IOException {
        return ListenSplitSerializer.serializeAll(pending);
    }

    @Override
    public List<ListenSplit> deserialize(int version, byte[] bytes) throws IOException {
        return ListenSplitSerializer.deserializeAll(version, bytes);
    }
}
