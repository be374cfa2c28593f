package io.sftap.job.replicate;

import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.replicate.Replica;
import io.sftap.source.wire.Packet;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The replicator-only job graph ({@code sftap replicate}): datagrams received on sockets → forwarding
 * rules (broadcast) → collectors. No flow abstractor.
 *
 * <pre>{@code
 * new ReplicatorJob(new ListenSource(endpoints), new ReplicationSink(ReplicatorSettings.defaults()), rules)
 *         .attach(env);
 * }</pre>
 */
public final class ReplicatorJob {
    /** Operator uids; part of the savepoint format. */
    public static final String UID_SOURCE = "sftap-listen-source";
    public static final String UID_RULES = "sftap-forward-rules-source";
    /** Name of the Flink job; must not be "sftap", the name of our metric group. */
    public static final String JOB_NAME = "sftap replicator";

    private final Source<Packet, ?, ?> datagrams;
    private final Sink<Replica> collectors;
    private final RulesUpdate rules;
    private Source<RulesUpdate, ?, ?> ruleUpdates;

    public ReplicatorJob(Source<Packet, ?, ?> datagrams, Sink<Replica> collectors, RulesUpdate rules) {
        this.datagrams = datagrams;
        this.collectors = collectors;
        this.rules = rules;
    }

    /** Takes rule changes from {@code updates} (e.g. a rules-file watcher) instead of the fixed initial rules. */
    public ReplicatorJob withRuleUpdates(Source<RulesUpdate, ?, ?> updates) {
        this.ruleUpdates = updates;
        return this;
    }

    public void attach(StreamExecutionEnvironment env) {
        DataStream<Packet> packets = env.fromSource(datagrams, WatermarkStrategy.noWatermarks(), "listen").uid(UID_SOURCE);
        DataStreamSource<RulesUpdate> updates = ruleUpdates != null
                ? env.fromSource(ruleUpdates, WatermarkStrategy.noWatermarks(), "rules")
                : env.fromData(rules);
        BroadcastStream<RulesUpdate> broadcast = updates.uid(UID_RULES).broadcast(ReplicationFunction.RULES_STATE);
        ReplicationBranch.attach(packets, broadcast, rules, collectors);
    }
}
