package io.sftap.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The in-JVM summary of sftap's metrics keeps what operators reported after they are gone. */
class SummaryReporterTest {
    private static MetricGroup group(String... scope) {
        return new UnregisteredMetricsGroup() {
            @Override
            public String[] getScopeComponents() {
                return scope;
            }
        };
    }

    @Test
    void sumsCountersAndGaugesOfSubtasksAndKeepsThemAfterRemoval() {
        SummaryReporter r = new SummaryReporter();
        r.open(new MetricConfig());
        MetricGroup cache = group("host", "job", "FlowAbstractor", "0", "sftap", "encoded_state_cache");
        MetricGroup cache2 = group("host", "job", "FlowAbstractor", "1", "sftap", "encoded_state_cache");
        SimpleCounter packets = new SimpleCounter();
        packets.inc(7);
        Gauge<Long> hits0 = () -> 30L;
        Gauge<Long> hits1 = () -> 12L;
        Gauge<String> text = () -> "not a number";
        r.notifyOfAddedMetric(packets, "packets", group("host", "job", "Source", "0", "sftap"));
        r.notifyOfAddedMetric(hits0, "hits", cache);
        r.notifyOfAddedMetric(hits1, "hits", cache2);
        r.notifyOfAddedMetric(text, "note", cache);
        r.notifyOfAddedMetric(new SimpleCounter(), "numRecordsIn", group("host", "job", "Source", "0"));
        assertThat(r.snapshot()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("packets", 7L, "encoded_state_cache.hits", 42L));

        r.notifyOfRemovedMetric(packets, "packets", group("host", "job", "Source", "0", "sftap"));
        r.notifyOfRemovedMetric(hits0, "hits", cache);
        r.notifyOfRemovedMetric(text, "note", cache);
        assertThat(r.snapshot()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("packets", 7L, "encoded_state_cache.hits", 42L));
        r.notifyOfRemovedMetric(hits1, "hits", cache2);
        assertThat(r.snapshot()).containsEntry("encoded_state_cache.hits", 42L);
        assertThat(SummaryReporter.latest()).isSameAs(r);
    }
}
