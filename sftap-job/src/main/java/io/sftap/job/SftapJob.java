package io.sftap.job;

import io.sftap.job.classify.SftapConfig;
import io.sftap.job.defrag.DefragFunction;
import io.sftap.job.defrag.DefragLimits;
import io.sftap.job.defrag.FragmentKey;
import io.sftap.job.defrag.FragmentKeySelector;
import io.sftap.job.flow.FlowAbstractorFunction;
import io.sftap.job.flow.FlowAbstractorOperator;
import io.sftap.job.loopback.CaptureEndMarker;
import io.sftap.job.loopback.LoopbackSource;
import io.sftap.job.replicate.ReplicationBranch;
import io.sftap.job.rocksdb.PointLookupOptions;
import io.sftap.job.rules.RulesSource;
import io.sftap.job.rules.RulesUpdate;
import io.sftap.job.time.CaptureWatermarks;
import io.sftap.sinks.SocketPartitioner;
import io.sftap.sinks.UnixSocketSink;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.replicate.Replica;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.Packet;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job graph of one sftap cell: capture source → defragmentation → flow abstractor (keyed by
 * flow, rules broadcast) → interface sink.
 *
 * <p>The job takes its source and sink through its constructor so tests can run it with their own.
 * Every operator has a stable uid: savepoints depend on them, never change one.
 *
 * <pre>{@code
 * SftapJob job = new SftapJob(PacketSource.builder().setFiles(files).build(), sink, rules, config);
 * job.attach(env);
 * env.execute("sftap");
 * }</pre>
 */
public final class SftapJob {
    /** Operator uids; part of the savepoint format. */
    public static final String UID_SOURCE = "sftap-capture-source";
    public static final String UID_WHOLE = "sftap-whole-packets";
    public static final String UID_FRAGMENTS = "sftap-fragments";
    public static final String UID_DEFRAG = "sftap-defrag";
    public static final String UID_RULES = "sftap-rules-source";
    public static final String UID_ABSTRACTOR = "sftap-flow-abstractor";
    public static final String UID_SINK = "sftap-interface-sink";
    public static final String UID_LOOPBACK = "sftap-loopback-source";
    public static final String UID_CAPTURE_END = "sftap-capture-end";

    /** Packets may arrive this much out of capture-time order before timers treat them as late. */
    public static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(1);

    /** Live capture: after this much real silence, event time runs on with real time. */
    public static final Duration QUIET_AFTER = Duration.ofSeconds(2);

    private final Source<Packet, ?, ?> packets;
    private final Sink<FlowEvent> interfaces;
    private final RulesUpdate rules;
    private final SftapConfig config;
    private LoopbackSource loopback;
    /** Replication branch's sink (see {@link #withReplication}); null: no replication branch. */
    private Sink<Replica> replication;
    private Source<RulesUpdate, ?, ?> rulesSource;
    private int flowCache = io.sftap.job.flow.FlowStateCache.DEFAULT_CAPACITY;
    private long stateCacheMemory = FlowAbstractorFunction.AUTO_ENCODED_CACHE;

    public SftapJob(Source<Packet, ?, ?> packets, Sink<FlowEvent> interfaces, RulesUpdate rules, SftapConfig config) {
        this.packets = packets;
        this.interfaces = interfaces;
        this.rules = rules;
        this.config = config;
        this.rulesSource = RulesSource.fixed(rules);
    }

    /**
     * Replaces the rules input (default: {@link RulesSource#fixed} of the constructor's rules), e.g.
     * with a {@link RulesSource#live} one. Runs with parallelism 1 under {@link #UID_RULES}.
     */
    public SftapJob withRulesSource(Source<RulesUpdate, ?, ?> rulesSource) {
        this.rulesSource = rulesSource;
        return this;
    }

    /**
     * Entry point of {@code flink run sftap-job.jar [options]}: the same options as {@code sftap
     * run}, on the cluster's environment.
     */
    public static void main(String[] args) throws Exception {
        SftapJobOptions options = new SftapJobOptions();
        picocli.CommandLine cli = new picocli.CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
        picocli.CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
            System.err.println("sftap-job: " + e.getMessage());
            cli.usage(System.err);
            throw e;
        }
        SftapJobFactory factory = new SftapJobFactory(options);
        SftapJob job = factory.validate().create();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(clusterConfiguration(options, parsed));
        if (options.parallelism != null) {
            env.setParallelism(options.parallelism);
        }
        job.attach(env);
        env.execute(JOB_NAME);
    }

    /** Flows each flow-abstractor instance keeps decoded in front of keyed state (0: none). */
    public SftapJob withFlowCache(int flows) {
        this.flowCache = flows;
        return this;
    }

    /**
     * Heap each flow-abstractor instance keeps for encoded states in front of keyed state (bytes; 0:
     * none; {@link FlowAbstractorFunction#AUTO_ENCODED_CACHE}: sized from the heap).
     */
    public SftapJob withStateCacheMemory(long bytes) {
        this.stateCacheMemory = bytes;
        return this;
    }

    /**
     * Adds the L7 loopback input: events analyzers write to {@code loopback7} join the keyed
     * packet stream (hop + 1) and are classified again.
     */
    public SftapJob withLoopback(LoopbackSource loopback) {
        this.loopback = loopback;
        return this;
    }

    /**
     * The job's own Flink settings on a cluster: {@code --state}, {@code --checkpoint-dir} and
     * {@code --checkpoint-interval} when given on the command line, else the cluster's; never Kryo;
     * RocksDB options for point reads ({@link PointLookupOptions}).
     */
    static Configuration clusterConfiguration(SftapJobOptions options, picocli.CommandLine.ParseResult parsed) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        PointLookupOptions.install(conf);
        if (parsed.hasMatchedOption("--state")) {
            conf.set(StateBackendOptions.STATE_BACKEND,
                    options.state == SftapJobOptions.StateBackend.heap ? "hashmap" : "rocksdb");
        }
        if (parsed.hasMatchedOption("--checkpoint-dir")) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options.checkpointDir.toUri().toString());
        }
        if (parsed.hasMatchedOption("--checkpoint-interval") && !options.checkpointInterval.isZero()) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval);
        }
        return conf;
    }

    /** Name of the Flink job; must not be "sftap", the name of our metric group. */
    public static final String JOB_NAME = "sftap flow abstractor";

    /**
     * Also copies captured UDP datagrams that match the forwarding rules ({@code forward:}) to their
     * collectors through {@code sink}; they still go to the flow abstractor too.
     */
    public SftapJob withReplication(Sink<Replica> sink) {
        this.replication = sink;
        return this;
    }

    /**
     * Adds the whole job to {@code env}, with object reuse on: no operator keeps or mutates a
     * record it was handed (the source emits a fresh packet per frame, the filters pass it on, the
     * keyed functions, the replication branch and the sink read it and let go, and our serializers
     * never fill a reused instance), so the deep copy Flink makes between chained operators is pure
     * cost.
     */
    public void attach(StreamExecutionEnvironment env) {
        env.getConfig().enableObjectReuse();
        DataStream<FlowEvent> events = events(env);
        // Each socket is served by one sink subtask, unless all subtasks share one server per
        // process. At parallelism 1 or with a shared server, each subtask serves every socket, so
        // the events need no shuffle: the sink runs chained to the flow abstractor (no
        // serialization, no extra thread).
        boolean everySubtaskServesEverySocket = env.getParallelism() == 1
                || (interfaces instanceof UnixSocketSink && ((UnixSocketSink) interfaces).sharedInProcess());
        DataStream<FlowEvent> routed = everySubtaskServesEverySocket
                ? events
                : events.partitionCustom(new SocketPartitioner(), e -> e.socket);
        routed.sinkTo(interfaces)
                .name("interface sockets")
                .uid(UID_SINK);
    }

    static DefragLimits defragLimits(SftapConfig config) {
        return new DefragLimits(Duration.ofSeconds(config.global.fragmentTimeoutSeconds),
                config.global.maxFragmentsPerDatagram, config.global.maxDatagramBytes);
    }

    /** Adds everything up to the flow events (tests read these directly). */
    public DataStream<FlowEvent> events(StreamExecutionEnvironment env) {
        WatermarkStrategy<Packet> time = packets.getBoundedness() == Boundedness.BOUNDED
                ? WatermarkStrategy.<Packet>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                : WatermarkStrategy.<Packet>forGenerator(
                        ctx -> new CaptureWatermarks(OUT_OF_ORDERNESS, QUIET_AFTER, System::currentTimeMillis));
        time = time.withTimestampAssigner((p, recordTs) -> p.timestampNanos / 1_000_000L);
        DataStream<Packet> captured = env.fromSource(packets, time, "capture").uid(UID_SOURCE);
        if (loopback != null && loopback.captureEndToken() != null) {
            captured = captured
                    .transform("capture end", TypeInformation.of(Packet.class),
                            new CaptureEndMarker(loopback.captureEndToken()))
                    .uid(UID_CAPTURE_END);
        }

        DataStream<Packet> whole = captured.filter(p -> !p.fragment).name("whole datagrams").uid(UID_WHOLE);
        DataStream<Packet> reassembled = captured
                .filter(p -> p.fragment)
                .name("fragments")
                .uid(UID_FRAGMENTS)
                .keyBy(FragmentKey::of, FragmentKeySelector.KEY_TYPE)
                .process(new DefragFunction(defragLimits(config)), TypeInformation.of(Packet.class))
                .name("ip defragmentation")
                .uid(UID_DEFRAG);

        // The rules source emits a maximal watermark first: it never holds back event time.
        DataStream<RulesUpdate> rulesIn = env
                .fromSource(rulesSource, WatermarkStrategy.noWatermarks(), "rules", TypeInformation.of(RulesUpdate.class))
                .setParallelism(1)
                .uid(UID_RULES);
        BroadcastStream<RulesUpdate> ruleStream = rulesIn.broadcast(FlowAbstractorFunction.RULES_STATE);

        DataStream<Packet> datagrams = whole.union(reassembled);
        if (replication != null) {
            ReplicationBranch.attach(datagrams, ruleStream, rules, replication);
        }
        DataStream<Packet> packetsIn = datagrams;
        if (loopback != null) {
            packetsIn = packetsIn.union(env.fromSource(loopback, LoopbackSource.watermarks(), "l7 loopback")
                    .uid(UID_LOOPBACK)
                    .setParallelism(1));
        }
        // Flink's keyed-broadcast operator with the flow state cache's write-back and flush
        // (FlowAbstractorOperator); rules reach every instance through a broadcast partitioner.
        return packetsIn
                .keyBy(FlowKey::of, TypeInformation.of(FlowKey.class))
                .connect(rulesIn.broadcast())
                .transform("flow abstractor", TypeInformation.of(FlowEvent.class),
                        new FlowAbstractorOperator(new FlowAbstractorFunction(rules, flowCache, stateCacheMemory)))
                .uid(UID_ABSTRACTOR);
    }
}
