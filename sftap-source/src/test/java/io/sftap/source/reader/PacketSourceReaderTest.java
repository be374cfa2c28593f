package io.sftap.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.SampleCaptures;
import io.sftap.source.split.CaptureSplit;
import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.Packet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests of PacketSourceReader: exact checkpoint resume and metrics. */
class PacketSourceReaderTest {
    private static final int FRAMES = 30;
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final int BATCH = 4;

    @TempDir Path dir;

    @ParameterizedTest(name = "checkpoint after {0} packets")
    @ValueSource(ints = {0, 1, 3, 4, 5, 12, 25})
    void resumesFromCheckpointWithoutLossOrRepeat(int emittedBeforeCheckpoint) throws Exception {
        Path file = dir.resolve("a.pcap");
        SampleCaptures.write(file, "a", FRAMES, T0);
        List<Packet> all = SampleCaptures.expected("a", FRAMES, T0);

        List<CaptureSplit> checkpoint;
        List<Packet> first;
        try (PacketSourceReader reader = new PacketSourceReader(new TestingReaderContext(), BATCH)) {
            reader.start();
            reader.addSplits(List.of(CaptureSplit.file("file-0", file)));
            TestingReaderOutput<Packet> out = new TestingReaderOutput<>();
            poll(reader, out, o -> o.getEmittedRecords().size() == emittedBeforeCheckpoint);
            first = new ArrayList<>(out.getEmittedRecords());
            checkpoint = reader.snapshotState(1);
        }
        assertThat(checkpoint).hasSize(1);

        List<Packet> rest;
        try (PacketSourceReader reader = new PacketSourceReader(new TestingReaderContext(), BATCH)) {
            reader.addSplits(checkpoint);
            reader.notifyNoMoreSplits();
            reader.start();
            TestingReaderOutput<Packet> out = new TestingReaderOutput<>();
            assertThat(poll(reader, out, o -> false)).isEqualTo(InputStatus.END_OF_INPUT);
            rest = out.getEmittedRecords();
        }
        assertThat(first).containsExactlyElementsOf(all.subList(0, emittedBeforeCheckpoint));
        assertThat(rest).containsExactlyElementsOf(all.subList(emittedBeforeCheckpoint, all.size()));
    }

    @Test
    void countsFramesPacketsBytesAndDrops() throws Exception {
        Path a = dir.resolve("a.pcap");
        Path b = dir.resolve("b.pcap");
        SampleCaptures.write(a, "a", FRAMES, T0);
        SampleCaptures.write(b, "b", 10, T0);
        // Cut the last record of b short: nine good frames and one malformed record.
        byte[] bytes = Files.readAllBytes(b);
        Files.write(b, Arrays.copyOf(bytes, bytes.length - 3));
        MetricListener metrics = new MetricListener();
        TestingReaderContext context = new TestingReaderContext(
                new Configuration(), InternalSourceReaderMetricGroup.mock(metrics.getMetricGroup()));
        List<Packet> emitted;
        try (PacketSourceReader reader = new PacketSourceReader(context, BATCH)) {
            reader.start();
            reader.addSplits(List.of(CaptureSplit.file("file-0", a), CaptureSplit.file("file-1", b)));
            reader.notifyNoMoreSplits();
            TestingReaderOutput<Packet> out = new TestingReaderOutput<>();
            assertThat(poll(reader, out, o -> false)).isEqualTo(InputStatus.END_OF_INPUT);
            emitted = out.getEmittedRecords();
        }
        List<Packet> want = new ArrayList<>(SampleCaptures.expected("a", FRAMES, T0));
        want.addAll(SampleCaptures.expected("b", 9, T0));
        assertThat(emitted).containsExactlyElementsOf(want);
        long capturedBytes = 0;
        for (int i = 0; i < FRAMES; i++) {
            capturedBytes += SampleCaptures.frame("a", i).length + (i < 9 ? SampleCaptures.frame("b", i).length : 0);
        }
        assertThat(counter(metrics, "frames")).isEqualTo(FRAMES + 9);
        assertThat(counter(metrics, "packets")).isEqualTo(want.size());
        assertThat(counter(metrics, "bytes")).isEqualTo(capturedBytes);
        assertThat(counter(metrics, "drop", DropReason.NOT_IP.metricName()))
                .isEqualTo(SampleCaptures.dropped(FRAMES) + SampleCaptures.dropped(9));
        assertThat(counter(metrics, "drop", DropReason.MALFORMED_CAPTURE_RECORD.metricName())).isEqualTo(1);
        assertThat(counter(metrics, "drop", DropReason.TRUNCATED_IP.metricName())).isZero();
        // One request at start, one after each of the two finished splits.
        assertThat(context.getNumSplitRequests()).isEqualTo(3);
    }

    private static long counter(MetricListener metrics, String... path) {
        String[] full = new String[path.length + 1];
        full[0] = CaptureSourceMetrics.GROUP;
        System.arraycopy(path, 0, full, 1, path.length);
        return metrics.getCounter(full).map(Counter::getCount).orElseThrow(() ->
                new AssertionError("no counter " + String.join(".", full)));
    }

    /** Polls until {@code stop} holds before a poll, or until the end of input. */
    private static InputStatus poll(PacketSourceReader reader, TestingReaderOutput<Packet> out,
            Predicate<TestingReaderOutput<Packet>> stop) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        InputStatus status = InputStatus.MORE_AVAILABLE;
        while (!stop.test(out) && status != InputStatus.END_OF_INPUT) {
            status = reader.pollNext(out);
            if (status == InputStatus.NOTHING_AVAILABLE) {
                reader.isAvailable().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        }
        return status;
    }
}
