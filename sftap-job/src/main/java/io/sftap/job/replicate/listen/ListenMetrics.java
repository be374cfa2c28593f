package io.sftap.job.replicate.listen;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Counters of the listen source under {@code sftap.listen}; written by the fetcher thread only. */
final class ListenMetrics {
    final Counter datagrams;
    final Counter bytes;
    final Counter tcpConnections;
    final Counter tcpMessages;
    final Counter framingErrors;

    ListenMetrics(MetricGroup group) {
        MetricGroup g = group.addGroup("sftap").addGroup("listen");
        datagrams = g.counter("udp_datagrams");
        bytes = g.counter("bytes");
        tcpConnections = g.counter("tcp_connections");
        tcpMessages = g.counter("tcp_syslog_messages");
        framingErrors = g.counter("tcp_framing_errors");
    }
}
