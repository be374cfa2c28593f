package io.sftap.job.rules;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned serializer of {@link RulesSplit} (reader checkpoints, enumerator-to-reader transfer).
 *
 * <p>Version 1: version (long), has-text flag, text and source name as length-prefixed UTF-8,
 * origin code (byte), count and indexes (int) of the ended capture subtasks.
 */
@Internal
public final class RulesSplitSerializer implements SimpleVersionedSerializer<RulesSplit> {
    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(RulesSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (split.text == null ? 0 : split.text.length()));
        DataOutputStream out = new DataOutputStream(bytes);
        write(split, out);
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public RulesSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown rules split serializer version " + version + " (this build reads 1)");
        }
        return read(new DataInputStream(new ByteArrayInputStream(serialized)));
    }

    static void write(RulesSplit split, DataOutputStream out) throws IOException {
        out.writeLong(split.version);
        out.writeBoolean(split.text != null);
        if (split.text != null) {
            writeString(out, split.text);
            writeString(out, split.sourceName == null ? "" : split.sourceName);
        }
        out.writeByte(split.origin.ordinal());
        out.writeInt(split.endedCaptures.size());
        for (int subtask : split.endedCaptures) {
            out.writeInt(subtask);
        }
    }

    static RulesSplit read(DataInputStream in) throws IOException {
        long version = in.readLong();
        String text = null;
        String source = null;
        if (in.readBoolean()) {
            text = readString(in);
            source = readString(in);
        }
        int originCode = in.readUnsignedByte();
        if (originCode >= RulesSplit.Origin.values().length) {
            throw new IOException("unknown rules origin code " + originCode);
        }
        int n = in.readInt();
        Set<Integer> ended = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ended.add(in.readInt());
        }
        return new RulesSplit(version, text, source, RulesSplit.Origin.values()[originCode], ended);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (64 << 20)) {
            throw new IOException("corrupt rules split: string of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
