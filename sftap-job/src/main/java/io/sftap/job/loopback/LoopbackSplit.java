package io.sftap.job.loopback;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/** The one split of the loopback source: the {@code loopback7} socket, served by one reader. */
public final class LoopbackSplit implements SourceSplit {
    /** Absolute path of the socket file. */
    public final String socketPath;
    /** 64-byte binary headers instead of text lines. */
    public final boolean binary;

    public LoopbackSplit(String socketPath, boolean binary) {
        this.socketPath = Objects.requireNonNull(socketPath, "socketPath");
        this.binary = binary;
    }

    @Override
    public String splitId() {
        return socketPath;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoopbackSplit && ((LoopbackSplit) o).socketPath.equals(socketPath)
                && ((LoopbackSplit) o).binary == binary;
    }

    @Override
    public int hashCode() {
        return socketPath.hashCode() * 31 + Boolean.hashCode(binary);
    }

    @Override
    public String toString() {
        return "LoopbackSplit{" + socketPath + (binary ? ", binary" : ", text") + "}";
    }
}
