package io.sftap.job.classify;

import io.sftap.source.wire.FlowKey;
import java.io.Serializable;
import java.util.List;

/** One abstract interface: a socket (or {@code balance} sockets) under the home directory. */
public final class InterfaceSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code if}: the interface name, e.g. {@code http}. */
    public final String name;
    /** Folder under home: {@code tcp}, {@code udp} or {@code icmp}. */
    public final String folder;
    /** {@code format: binary}. */
    public final boolean binary;
    /** {@code body: yes}. */
    public final boolean body;
    /** {@code balance}: number of sockets (1 when not balanced; a power of two). */
    public final int balance;

    public InterfaceSpec(String name, String folder, boolean binary, boolean body, int balance) {
        this.name = name;
        this.folder = folder;
        this.binary = binary;
        this.body = body;
        this.balance = balance;
    }

    /** Socket path relative to home for a flow, e.g. {@code tcp/http} or {@code tcp/http2}. */
    public String socketFor(FlowKey key) {
        throw new UnsupportedOperationException("to be implemented");
    }

    /** Every socket path of this interface relative to home. */
    public List<String> socketPaths() {
        throw new UnsupportedOperationException("to be implemented");
    }
}
