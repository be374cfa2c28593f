package io.sftap.sinks.replicate;

import java.util.Arrays;
import org.apache.flink.annotation.Internal;

/**
 * One collector a datagram is copied to, with the forwarding rule that sent it there.
 *
 * <p>A Flink POJO. {@link #key()} names the destination's channel: two rules sending to the same
 * collector in the same mode share one channel and one queue.
 */
@Internal
public class ReplicaTarget {
    /** Name of the forwarding rule, for counters ({@code forward.syslog} loses its prefix there). */
    public String rule;
    /** Collector address, 4 or 16 bytes. */
    public byte[] address;
    /** Collector port. */
    public int port;
    /** True: keep the original sender's address and port; false: send from our own. */
    public boolean preserve;

    public ReplicaTarget() {}

    public ReplicaTarget(String rule, byte[] address, int port, boolean preserve) {
        this.rule = rule;
        this.address = address;
        this.port = port;
        this.preserve = preserve;
    }

    /** The destination's channel key, e.g. {@code 192.0.2.10:514/preserve}. */
    public String key() {
        return DestinationNames.of(address, port) + (preserve ? "/preserve" : "/relay");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReplicaTarget)) {
            return false;
        }
        ReplicaTarget t = (ReplicaTarget) o;
        return port == t.port && preserve == t.preserve && java.util.Objects.equals(rule, t.rule)
                && Arrays.equals(address, t.address);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(address) + port) + (preserve ? 1 : 0);
    }

    @Override
    public String toString() {
        return rule + "->" + key();
    }
}
