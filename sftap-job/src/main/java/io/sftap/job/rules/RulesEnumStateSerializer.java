package io.sftap.job.rules;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned serializer of {@link RulesEnumState}.
 *
 * <p>Version 1: has-split flag, then the split in {@link RulesSplitSerializer} version 1 form.
 */
@Internal
public final class RulesEnumStateSerializer implements SimpleVersionedSerializer<RulesEnumState> {
    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(RulesEnumState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBoolean(state.unassigned != null);
        if (state.unassigned != null) {
            RulesSplitSerializer.write(state.unassigned, out);
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public RulesEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown rules enumerator state version " + version + " (this build reads 1)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
        return new RulesEnumState(in.readBoolean() ? RulesSplitSerializer.read(in) : null);
    }
}
