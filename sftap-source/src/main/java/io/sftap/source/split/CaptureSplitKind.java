package io.sftap.source.split;

import java.io.IOException;
import org.apache.flink.annotation.Internal;

/**
 * What a {@link CaptureSplit} reads. The code is what serializers store, so codes never change and
 * new kinds take new codes.
 */
@Internal
public enum CaptureSplitKind {
    /** A pcap or pcapng file; the split's location is its path. */
    FILE(1),
    /** A live network interface captured through libpcap; the location is the interface name. */
    INTERFACE(2),
    /** The pcap injection socket (a UNIX socket clients write pcap streams to); the location is its path. */
    INJECT(3);

    /** Stable code in serialized splits. */
    public final int code;

    CaptureSplitKind(int code) {
        this.code = code;
    }

    /** True for kinds that never end by themselves (interfaces, the injection socket). */
    public boolean isLive() {
        return this != FILE;
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
