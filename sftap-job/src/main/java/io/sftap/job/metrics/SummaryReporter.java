package io.sftap.job.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * Collects sftap's own counters (every metric under a {@code sftap} group) inside the JVM, summed
 * over subtasks, for the embedded runner's progress lines and final summary.
 *
 * <p>Counters of operators that finished are folded into a running total when Flink removes them,
 * and numeric gauges leave their last value there, so the summary after the job ends still has
 * them (a cache's final hits and misses, say).
 */
public final class SummaryReporter implements MetricReporter {
    private static volatile SummaryReporter latest;

    /** Live counters by identity; the value is the counter's sftap-relative name. */
    private final Map<Counter, String> liveCounters = new ConcurrentHashMap<>();
    private final Map<Gauge<?>, String> liveGauges = new ConcurrentHashMap<>();
    /** Final values of counters and numeric gauges that were removed. */
    private final Map<String, Long> finished = new ConcurrentHashMap<>();

    /** The reporter Flink created last in this JVM, or null. */
    public static SummaryReporter latest() {
        return latest;
    }

    @Override
    public void open(MetricConfig config) {
        latest = this;
    }

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String key = sftapName(name, group);
        if (key == null) {
            return;
        }
        if (metric instanceof Counter) {
            liveCounters.put((Counter) metric, key);
        } else if (metric instanceof Gauge) {
            liveGauges.put((Gauge<?>) metric, key);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter) {
            String key = liveCounters.remove(metric);
            if (key != null) {
                finished.merge(key, ((Counter) metric).getCount(), Long::sum);
            }
        } else if (metric instanceof Gauge) {
            String key = liveGauges.remove(metric);
            Object last = key == null ? null : lastValue((Gauge<?>) metric);
            if (last instanceof Number) {
                finished.merge(key, ((Number) last).longValue(), Long::sum);
            }
        }
    }

    private static Object lastValue(Gauge<?> gauge) {
        try {
            return gauge.getValue();
        } catch (RuntimeException e) {
            return null; // a gauge of a torn-down operator may fail; the summary does without it
        }
    }

    /** Current totals of all counters, and the sum of numeric gauges, by sftap-relative name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>(finished);
        liveCounters.forEach((c, key) -> out.merge(key, c.getCount(), Long::sum));
        liveGauges.forEach((g, key) -> {
            Object v = g.getValue();
            if (v instanceof Number) {
                out.merge(key, ((Number) v).longValue(), Long::sum);
            }
        });
        return out;
    }

    /**
     * The metric's name relative to its {@code sftap} group, e.g. {@code drop.truncated_ip}, or
     * null when it is not one of ours.
     */
    static String sftapName(String name, MetricGroup group) {
        String[] scope = group.getScopeComponents();
        for (int i = scope.length - 1; i >= 0; i--) {
            if ("sftap".equals(scope[i])) {
                StringBuilder sb = new StringBuilder();
                for (int j = i + 1; j < scope.length; j++) {
                    sb.append(scope[j]).append('.');
                }
                return sb.append(name).toString();
            }
        }
        return null;
    }
}
