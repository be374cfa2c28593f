package io.sftap.job.loopback;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Versioned form of {@link LoopbackSplit} (reader state in checkpoints). */
public final class LoopbackSplitSerializer implements SimpleVersionedSerializer<LoopbackSplit> {
    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(LoopbackSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(split.socketPath);
            out.writeBoolean(split.binary);
        }
        return bytes.toByteArray();
    }

    @Override
    public LoopbackSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("loopback split version " + version + " is unknown to this release");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return new LoopbackSplit(in.readUTF(), in.readBoolean());
        }
    }
}
