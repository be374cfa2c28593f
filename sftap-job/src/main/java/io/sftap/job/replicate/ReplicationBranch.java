package io.sftap.job.replicate;

import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.replicate.Replica;
import io.sftap.source.wire.Packet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The replication branch of a job graph: whole UDP datagrams → {@link ReplicationFunction} (rules
 * broadcast) → replication sink. Used by the flow-abstractor job (captured datagrams also go on to
 * the abstractor) and by the replicator-only job.
 */
public final class ReplicationBranch {
    /** Operator uids; part of the savepoint format. */
    public static final String UID_FILTER = "sftap-replication-udp";
    public static final String UID_FUNCTION = "sftap-replication";
    public static final String UID_SINK = "sftap-replication-sink";

    private ReplicationBranch() {}

    /** Adds the branch; {@code rules} must be broadcast with {@link ReplicationFunction#RULES_STATE}. */
    public static void attach(DataStream<Packet> packets, BroadcastStream<RulesUpdate> rules, RulesUpdate initial, Sink<Replica> sink) {
        packets.filter(p -> p.isUdp() && !p.fragment)
                .name("udp datagrams")
                .uid(UID_FILTER)
                .connect(rules)
                .process(new ReplicationFunction(initial), TypeInformation.of(Replica.class))
                .name("forwarding rules")
                .uid(UID_FUNCTION)
                .sinkTo(sink)
                .name("collectors")
                .uid(UID_SINK);
    }
}
