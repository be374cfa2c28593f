package io.sftap.sinks.replicate;

import java.util.Arrays;
import org.apache.flink.annotation.Internal;

/**
 * One received UDP datagram and the collectors it is to be copied to.
 *
 * <p>A Flink POJO. One record per datagram, not per destination, so the payload crosses the
 * operator boundary once however many collectors want it.
 */
@Internal
public class Replica {
    /** Original sender, 4 or 16 bytes. */
    public byte[] srcAddr;
    /** Original destination (the replicator or the address the capture saw), same length. */
    public byte[] dstAddr;
    public int srcPort;
    public int dstPort;
    /** The UDP payload. */
    public byte[] payload;
    /** Where copies go; never empty for records the replication function emits. */
    public ReplicaTarget[] targets;

    public Replica() {}

    public Replica(byte[] srcAddr, byte[] dstAddr, int srcPort, int dstPort, byte[] payload, ReplicaTarget[] targets) {
        this.srcAddr = srcAddr;
        this.dstAddr = dstAddr;
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        this.payload = payload;
        this.targets = targets;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Replica)) {
            return false;
        }
        Replica r = (Replica) o;
        return srcPort == r.srcPort && dstPort == r.dstPort && Arrays.equals(srcAddr, r.srcAddr)
                && Arrays.equals(dstAddr, r.dstAddr) && Arrays.equals(payload, r.payload)
                && Arrays.equals(targets, r.targets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(srcAddr) * 31 + srcPort + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Replica{" + DestinationNames.of(srcAddr, srcPort) + " > " + DestinationNames.of(dstAddr, dstPort)
                + ", len=" + (payload == null ? 0 : payload.length) + ", to " + Arrays.toString(targets) + "}";
    }
}
