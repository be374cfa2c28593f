package io.sftap.source.split;

import java.io.IOException;
import org.apache.flink.annotation.Internal;

/**
 * What a {@link CaptureSplit} reads. The code is what serializers store, so codes never change;
 * live capture will add {@code INTERFACE} with a new code.
 */
@Internal
public enum CaptureSplitKind {
    /** A pcap or pcapng file; the split's location is its path. */
    FILE(1);

    /** Stable code in serialized splits. */
    public final int code;

    CaptureSplitKind(int code) {
        this.code = code;
    }

    public static CaptureSplitKind ofCode(int code) throws IOException {
        for (CaptureSplitKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IOException("unknown capture split kind code " + code);
    }
}
