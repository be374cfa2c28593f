package io.sftap.source.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import io.sftap.source.live.LiveCaptureOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned serializer of {@link CaptureSplit}s (checkpoints and enumerator-to-reader transfer).
 *
 * <p>Version 1: split id, kind code (byte), location, starting position (long); strings as
 * length-prefixed UTF-8. Version 2 (live capture) appends, for interface splits only, the capture
 * options: filter (string), snaplen, buffer bytes (ints), promiscuous, immediate (booleans), read
 * timeout millis (int). Version-1 bytes still read (they hold only file splits).
 */
@Internal
public final class CaptureSplitSerializer implements SimpleVersionedSerializer<CaptureSplit> {
    public static final int CURRENT_VERSION = 2;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(CaptureSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + split.location().length());
        DataOutputStream out = new DataOutputStream(bytes);
        write(split, out);
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public CaptureSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != 2) {
            throw new IOException("unknown capture split serializer version " + version + " (this build reads 1 and 2)");
        }
        return read(new DataInputStream(new ByteArrayInputStream(serialized)), version);
    }

    private static void write(CaptureSplit split, DataOutputStream out) throws IOException {
        writeString(out, split.splitId());
        out.writeByte(split.kind().code);
        writeString(out, split.location());
        out.writeLong(split.startingPosition());
        if (split.kind() == CaptureSplitKind.INTERFACE) {
            LiveCaptureOptions o = split.liveOptions();
            writeString(out, o.filter());
            out.writeInt(o.snaplen());
            out.writeInt(o.bufferBytes());
            out.writeBoolean(o.promiscuous());
            out.writeBoolean(o.immediate());
            out.writeInt(o.readTimeoutMillis());
        }
    }

    private static CaptureSplit read(DataInputStream in, int version) throws IOException {
        String splitId = readString(in);
        CaptureSplitKind kind = CaptureSplitKind.ofCode(in.readUnsignedByte());
        String location = readString(in);
        long position = in.readLong();
        LiveCaptureOptions options = null;
        if (kind == CaptureSplitKind.INTERFACE) {
            if (version < 2) {
                throw new IOException("corrupt capture split: interface split " + splitId + " in version " + version);
            }
            try {
                options = new LiveCaptureOptions(
                        readString(in), in.readInt(), in.readInt(), in.readBoolean(), in.readBoolean(), in.readInt());
            } catch (IllegalArgumentException e) {
                throw new IOException("corrupt capture split " + splitId + ": " + e.getMessage(), e);
            }
        }
        return new CaptureSplit(splitId, kind, location, position, options);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("corrupt capture split: string of " + n + " bytes");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
