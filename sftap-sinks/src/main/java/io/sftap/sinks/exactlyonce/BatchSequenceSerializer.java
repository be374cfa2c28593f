package io.sftap.sinks.exactlyonce;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Versioned serializer of the writer state (the last batch sequence). Version 1: one long. */
@Internal
public final class BatchSequenceSerializer implements SimpleVersionedSerializer<Long> {
    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(Long sequence) {
        return ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
    }

    @Override
    public Long deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 || serialized.length != Long.BYTES) {
            throw new IOException("unknown batch sequence state (version " + version + ", " + serialized.length + " bytes)");
        }
        return ByteBuffer.wrap(serialized).getLong();
    }
}
