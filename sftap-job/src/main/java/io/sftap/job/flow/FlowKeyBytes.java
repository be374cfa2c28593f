package io.sftap.job.flow;

import io.sftap.source.typeinfo.FlowKeySerializer;
import io.sftap.source.wire.FlowKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Flow keys in their serialized form ({@link FlowKeySerializer}'s, 17 bytes for IPv4): a key kept
 * this way takes one small array instead of a key object and its two address arrays. Not
 * thread-safe: serializes into one reused buffer.
 */
final class FlowKeyBytes {
    private final DataOutputSerializer buffer = new DataOutputSerializer(64);

    /** Serializes {@code key} into the shared buffer and returns its length (see {@link #buffer()}). */
    int write(FlowKey key) {
        buffer.clear();
        try {
            FlowKeySerializer.INSTANCE.serialize(key, buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.length();
    }

    /** Length of the last {@link #write}'s bytes. */
    int length() {
        return buffer.length();
    }

    /** The shared buffer: the bytes of the last {@link #write}, valid until the next. */
    byte[] buffer() {
        return buffer.getSharedBuffer();
    }

    /** The key serialized as {@code bytes}. */
    static FlowKey read(byte[] bytes) {
        return read(bytes, 0, bytes.length);
    }

    /** The key serialized in {@code bytes[offset, offset + length)}. */
    static FlowKey read(byte[] bytes, int offset, int length) {
        try {
            return FlowKeySerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes, offset, length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
