package io.sftap.job.flow;

import io.sftap.sinks.event.Reason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/** {@link FlowCounters} backed by Flink counters under the {@code sftap} metric group. */
final class FlowMetrics implements FlowCounters {
    private final Counter created;
    private final Map<Reason, Counter> destroyed = new EnumMap<>(Reason.class);
    private final Map<Ignored, Counter> ignored = new EnumMap<>(Ignored.class);
    final Counter tcpPackets;
    final Counter udpPackets;
    final Counter icmpPackets;
    final Counter events;
    final Counter rulesRejected;
    private final MetricGroup group;

    FlowMetrics(MetricGroup operatorGroup) {
        MetricGroup g = operatorGroup.addGroup("sftap");
        group = g;
        created = g.counter("flows_created");
        MetricGroup d = g.addGroup("flows_destroyed");
        for (Reason r : Reason.values()) {
            destroyed.put(r, d.counter(r.name().toLowerCase(java.util.Locale.ROOT)));
        }
        MetricGroup i = g.addGroup("ignored");
        for (Ignored w : Ignored.values()) {
            ignored.put(w, i.counter(w.name().toLowerCase(java.util.Locale.ROOT)));
        }
        tcpPackets = g.counter("tcp_packets");
        udpPackets = g.counter("udp_packets");
        icmpPackets = g.counter("icmp_packets");
        events = g.counter("events_out");
        rulesRejected = g.counter("rules_rejected");
    }

    /** Hits and misses of the operator's {@link FlowStateCache} (read by the metric reporter). */
    void cacheGauges(FlowStateCache cache) {
        MetricGroup c = group.addGroup("state_cache");
        c.gauge("hits", (Gauge<Long>) cache::hits);
        c.gauge("misses", (Gauge<Long>) cache::misses);
        c.gauge("write_backs", (Gauge<Long>) cache::writeBacks);
        c.gauge("admitting", (Gauge<Integer>) () -> cache.admitting() ? 1 : 0);
    }

    /** The encoded cache's use, and what the last snapshot took from it. */
    void encodedCacheGauges(EncodedStateCache cache, CachedFlowsSnapshotStats snapshot) {
        MetricGroup c = group.addGroup("encoded_state_cache");
        c.gauge("hits", (Gauge<Long>) cache::hits);
        c.gauge("misses", (Gauge<Long>) cache::misses);
        c.gauge("writes", (Gauge<Long>) cache::writes);
        c.gauge("rejected", (Gauge<Long>) cache::rejected);
        c.gauge("bimodal", (Gauge<Integer>) () -> cache.bimodal() ? 1 : 0);
        c.gauge("flows", (Gauge<Integer>) cache::size);
        c.gauge("bytes", (Gauge<Long>) cache::usedBytes);
        c.gauge("relocations", (Gauge<Long>) cache::relocations);
        c.gauge("compactions", (Gauge<Long>) cache::compactions);
        c.gauge("timer_walks", (Gauge<Long>) cache::timerWalks);
        c.gauge("timers_armed", (Gauge<Long>) cache::timersArmed);
        c.gauge("snapshot_flows", (Gauge<Long>) snapshot::flows);
        c.gauge("snapshot_bytes", (Gauge<Long>) snapshot::bytes);
        c.gauge("snapshot_ms", (Gauge<Long>) snapshot::millis);
        c.gauge("snapshot_bytes_max", (Gauge<Long>) snapshot::maxBytes);
        c.gauge("snapshot_ms_max", (Gauge<Long>) snapshot::maxMillis);
        c.gauge("snapshot_ms_total", (Gauge<Long>) snapshot::totalMillis);
    }

    void storedKeysGauges(StoredFlowKeys filter) {
        MetricGroup c = group.addGroup("new_flow_filter");
        c.gauge("skipped_reads", (Gauge<Long>) filter::skippedReads);
        c.gauge("enabled", (Gauge<Integer>) () -> filter.enabled() ? 1 : 0);
    }

    @Override
    public void flowCreated() {
        created.inc();
    }

    @Override
    public void flowDestroyed(Reason reason) {
        destroyed.get(reason).inc();
    }

    @Override
    public void ignored(Ignored why) {
        ignored.get(why).inc();
    }
}
