package io.sftap.job.loopback;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Versioned form of {@link LoopbackEnumState}: one byte, assigned or not. */
public final class LoopbackEnumStateSerializer implements SimpleVersionedSerializer<LoopbackEnumState> {
    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(LoopbackEnumState state) {
        return new byte[] {(byte) (state.assigned ? 1 : 0)};
    }

    @Override
    public LoopbackEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 || serialized.length != 1) {
            throw new IOException("loopback enumerator state version " + version + " is unknown to this release");
        }
        return new LoopbackEnumState(serialized[0] != 0);
    }
}
