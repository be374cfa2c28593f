package io.sftap.job.classify;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes one side of a flow sent, as the patterns see them: at most {@code classify_bytes}
 * bytes, with the Latin-1 string (one char per byte) made once and shared by every rule.
 */
public final class ClassifySubject {
    private static final byte[] NONE = new byte[0];

    private final byte[] bytes;
    private String latin1;

    private ClassifySubject(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The first {@code limit} bytes of {@code data} (null is empty). */
    public static ClassifySubject of(byte[] data, int limit) {
        if (data == null) {
            return new ClassifySubject(NONE);
        }
        return new ClassifySubject(data.length <= limit ? data : Arrays.copyOf(data, limit));
    }

    byte[] bytes() {
        return bytes;
    }

    String latin1() {
        if (latin1 == null) {
            latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return latin1;
    }

    /** The first byte, 0..255; the subject must not be empty. */
    int firstByte() {
        return bytes[0] & 0xff;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }
}
