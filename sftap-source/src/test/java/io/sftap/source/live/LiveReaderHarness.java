package io.sftap.source.live;

import io.sftap.source.reader.CaptureSourceMetrics;
import io.sftap.source.reader.PacketSourceReader;
import io.sftap.source.split.CaptureSplit;
import io.sftap.source.wire.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;

/** Drives a real PacketSourceReader (with its fetcher threads) from the test thread, with metrics. */
final class LiveReaderHarness implements AutoCloseable {
    final MetricListener metrics = new MetricListener();
    final TestingReaderContext context = new TestingReaderContext(
            new Configuration(), InternalSourceReaderMetricGroup.mock(metrics.getMetricGroup()));
    final PacketSourceReader reader;
    final TestingReaderOutput<Packet> out = new TestingReaderOutput<>();
    private InputStatus status = InputStatus.MORE_AVAILABLE;

    LiveReaderHarness(int framesPerBatch, CaptureSplit... splits) {
        reader = new PacketSourceReader(context, framesPerBatch);
        reader.start();
        reader.addSplits(List.of(splits));
        reader.notifyNoMoreSplits();
    }

    /** Polls until {@code done} holds; fails after {@code timeout}. */
    void pollUntil(Predicate<LiveReaderHarness> done, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(this)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; got " + packets().size()
                        + " packets, frames=" + counter("frames"));
            }
            if (status == InputStatus.END_OF_INPUT) {
                throw new AssertionError("input ended while waiting for " + what);
            }
            status = reader.pollNext(out);
            if (status == InputStatus.NOTHING_AVAILABLE) {
                try {
                    reader.isAvailable().get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // poll again: checks the predicate and the deadline
                }
            }
        }
    }

    /** Polls for {@code duration}, whatever arrives. */
    void pollFor(Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        pollUntil(h -> System.nanoTime() > end, duration.plusSeconds(5), "time to pass");
    }

    List<Packet> packets() {
        return new ArrayList<>(out.getEmittedRecords());
    }

    long counter(String... path) {
        return metrics.getCounter(full(path)).map(Counter::getCount).orElse(0L);
    }

    Optional<Long> gauge(String... path) {
        Optional<Gauge<Long>> g = metrics.getGauge(full(path));
        return g.map(Gauge::getValue);
    }

    private static String[] full(String... path) {
        String[] full = new String[path.length + 1];
        full[0] = CaptureSourceMetrics.GROUP;
        System.arraycopy(path, 0, full, 1, path.length);
        return full;
    }

    @Override
    public void close() throws Exception {
        reader.close();
    }
}
