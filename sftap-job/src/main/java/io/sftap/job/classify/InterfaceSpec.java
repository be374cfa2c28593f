package io.sftap.job.classify;

import io.sftap.source.wire.FlowKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
        return balance > 1 ? socketPath(key.balanceSlot(balance)) : folder + "/" + name;
    }

    /** Every socket path of this interface relative to home. */
    public List<String> socketPaths() {
        List<String> paths = new ArrayList<>(balance);
        if (balance <= 1) {
            paths.add(folder + "/" + name);
        } else {
            for (int slot = 0; slot < balance; slot++) {
                paths.add(socketPath(slot));
            }
        }
        return paths;
    }

    private String socketPath(int slot) {
        return folder + "/" + name + slot;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InterfaceSpec)) {
            return false;
        }
        InterfaceSpec i = (InterfaceSpec) o;
        return name.equals(i.name) && folder.equals(i.folder) && binary == i.binary && body == i.body && balance == i.balance;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, folder, binary, body, balance);
    }

    @Override
    public String toString() {
        return folder + "/" + name + (balance > 1 ? "[0.." + (balance - 1) + "]" : "")
                + (binary ? " binary" : " text") + (body ? "" : " no-body");
    }
}
