package io.sftap.sinks.socket;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * Counts the analyzers that connected to and left one {@link InterfaceSocketServer}, as its
 * listener. Thread-safe: the selector thread and, on a failed write, any publishing thread count.
 */
public class ConnectionCounters implements SocketServerListener {
    private final Counter connects = new ThreadSafeSimpleCounter();
    private final Counter disconnects = new ThreadSafeSimpleCounter();

    /** Registers the counters as {@code connects} and {@code disconnects} in {@code group}. */
    public void register(MetricGroup group) {
        group.counter("connects", connects);
        group.counter("disconnects", disconnects);
    }

    @Override
    public void connected(String socket) {
        connects.inc();
    }

    @Override
    public void disconnected(String socket) {
        disconnects.inc();
    }
}
