package io.sftap.sinks.replicate;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * {@link ReplicationCounters} as Flink counters: {@code sftap.replicate.<rule>.<collector>.sent},
 * {@code .bytes}, {@code .errors}, {@code .drops}.
 */
final class ReplicationMetrics implements ReplicationCounters {
    private final MetricGroup replicate;

    ReplicationMetrics(MetricGroup operatorGroup) {
        this.replicate = operatorGroup.addGroup("sftap").addGroup("replicate");
    }

    @Override
    public DestinationCounters of(String rule, String destination) {
        MetricGroup g = replicate.addGroup(rule).addGroup(destination);
        Counter sent = g.counter("sent");
        Counter bytes = g.counter("bytes");
        Counter errors = g.counter("errors");
        Counter drops = g.counter("drops");
        return new DestinationCounters() {
            @Override
            public void sent(int n) {
                sent.inc();
                bytes.inc(n);
            }

            @Override
            public void error() {
                errors.inc();
            }

            @Override
            public void dropped() {
                drops.inc();
            }
        };
    }
}
