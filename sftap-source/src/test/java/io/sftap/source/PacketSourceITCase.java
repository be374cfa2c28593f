package io.sftap.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.Packet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs PacketSource in a MiniCluster over two generated capture files. */
class PacketSourceITCase {
    private static final long T0 = 1_700_000_000_000_000_000L;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir Path dir;

    @Test
    void readsEveryPacketOfEveryFileInOrderWithCaptureTimestamps() throws Exception {
        Path a = dir.resolve("a.pcap");
        Path b = dir.resolve("b.pcap");
        SampleCaptures.write(a, "a", 500, T0);
        SampleCaptures.write(b, "b", 333, T0 + 5_000_000_000L);
        PacketSource source = PacketSource.builder().setFiles(List.of(a, b)).setFramesPerBatch(16).build();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<Packet> got = new ArrayList<>();
        try (CloseableIterator<Packet> it = env
                .fromSource(source, WatermarkStrategy.<Packet>forMonotonousTimestamps(), "capture")
                .process(new TimestampCheck())
                .executeAndCollect("packet-source-it")) {
            it.forEachRemaining(got::add);
        }

        assertThat(got).hasSize(SampleCaptures.expected("a", 500, T0).size() + SampleCaptures.expected("b", 333, 0).size());
        // Each file is one split read by one reader, so its packets keep file order.
        assertThat(ofFile(got, "a")).containsExactlyElementsOf(SampleCaptures.expected("a", 500, T0));
        assertThat(ofFile(got, "b")).containsExactlyElementsOf(SampleCaptures.expected("b", 333, T0 + 5_000_000_000L));
    }

    private static List<Packet> ofFile(List<Packet> packets, String tag) {
        return packets.stream().filter(p -> new String(p.payload).startsWith(tag + "#")).collect(Collectors.toList());
    }

    /** Fails the job if a record's timestamp is not its capture time in milliseconds. */
    private static final class TimestampCheck extends ProcessFunction<Packet, Packet> {
        @Override
        public void processElement(Packet p, Context ctx, Collector<Packet> out) {
            if (ctx.timestamp() == null || ctx.timestamp() != p.timestampNanos / 1_000_000) {
                throw new IllegalStateException("record timestamp " + ctx.timestamp() + " for " + p);
            }
            out.collect(p);
        }
    }
}
