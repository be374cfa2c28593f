package io.sftap.job.reassembly;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Versioned binary form of {@link TcpConnection} for keyed state and savepoints. */
public final class TcpConnectionCodec {
    public static final int CURRENT_VERSION = 1;

    private TcpConnectionCodec() {}

    public static void write(TcpConnection c, DataOutput out) throws IOException {
        throw new UnsupportedOperationException("to be implemented");
    }

    public static TcpConnection read(DataInput in) throws IOException {
        throw new UnsupportedOperationException("to be implemented");
    }
}
