package io.sftap.job.replicate;

import io.sftap.job.classify.RulesException;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.replicate.Replica;
import io.sftap.sinks.replicate.ReplicaTarget;
import io.sftap.source.wire.Packet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches UDP datagrams against the forwarding rules and emits one {@link Replica} per datagram
 * that any rule wants. Rules arrive on the rules broadcast (the whole rules file, as the flow
 * abstractor gets it); a file that does not load is refused and the previous rules stay.
 *
 * <p>The table is swapped between two datagrams, never during one; the sink keeps its collector
 * channels across swaps, so collectors that stay lose nothing.
 */
public final class ReplicationFunction extends BroadcastProcessFunction<Packet, RulesUpdate, Replica> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationFunction.class);

    /** Broadcast state: the rules text in force. Same layout as the flow abstractor's. */
    public static final MapStateDescriptor<String, String> RULES_STATE =
            new MapStateDescriptor<>("sftap-rules", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.STRING_TYPE_INFO);

    static final String RULES_TEXT = "text";
    static final String RULES_VERSION = "version";
    static final String RULES_SOURCE = "source";

    private final RulesUpdate initialRules;

    private transient ForwardTable table;
    /** Text the table was built from. */
    private transient String tableText;
    private transient Counter matched;
    private transient Counter unmatched;
    private transient Counter rejected;
    private transient Counter familySkipped;
    private transient int[] skipped;

    public ReplicationFunction(RulesUpdate initialRules) {
        this.initialRules = initialRules;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("sftap").addGroup("forward");
        matched = g.counter("matched");
        unmatched = g.counter("unmatched");
        rejected = g.counter("rules_rejected");
        familySkipped = g.counter("family_mismatch_skipped");
        skipped = new int[1];
    }

    @Override
    public void processElement(Packet p, ReadOnlyContext ctx, Collector<Replica> out) throws Exception {
        if (p.fragment) {
            return; // only whole datagrams are copied; the defragmenter hands us the reassembled ones
        }
        ForwardTable t = table(ctx.getBroadcastState(RULES_STATE));
        skipped[0] = 0;
        ReplicaTarget[] targets = t.targetsFor(p.protocol, p.srcAddr, p.dstPort, skipped);
        familySkipped.inc(skipped[0]);
        if (targets.length == 0) {
            unmatched.inc();
            return;
        }
        matched.inc();
        out.collect(new Replica(p.srcAddr, p.dstAddr, p.srcPort, p.dstPort, p.payload, targets));
    }

    @Override
    public void processBroadcastElement(RulesUpdate update, Context ctx, Collector<Replica> out) throws Exception {
        BroadcastState<String, String> state = ctx.getBroadcastState(RULES_STATE);
        String held = state.get(RULES_VERSION);
        if (held != null && Long.parseLong(held) > update.version) {
            return;
        }
        ForwardTable compiled;
        try {
            compiled = compile(update.text, update.sourceName);
        } catch (RulesException e) {
            rejected.inc();
            LOG.error("Rules update {} refused by the replicator, previous forwarding rules stay: {}", update, e.getMessage());
            return;
        }
        state.put(RULES_TEXT, update.text);
        state.put(RULES_VERSION, Long.toString(update.version));
        state.put(RULES_SOURCE, update.sourceName);
        table = compiled;
        tableText = update.text;
        LOG.info("Forwarding rules of {} in force: {}", update, compiled.rules());
    }

    private ForwardTable table(ReadOnlyBroadcastState<String, String> state) throws Exception {
        String text = state.get(RULES_TEXT);
        if (table != null && (text == null || text.equals(tableText))) {
            return table;
        }
        if (text == null) {
            text = initialRules.text;
            table = compile(text, initialRules.sourceName);
        } else {
            table = compile(text, state.get(RULES_SOURCE));
        }
        tableText = text;
        return table;
    }

    static ForwardTable compile(String text, String sourceName) throws RulesException {
        return new ForwardTable(RulesFile.parse(text, sourceName).forwards);
    }
}
