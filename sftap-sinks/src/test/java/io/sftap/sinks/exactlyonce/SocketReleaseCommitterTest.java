package io.sftap.sinks.exactlyonce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.sinks.socket.InterfaceSocketServer;
import io.sftap.sinks.socket.SocketDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once release over a real UNIX socket: batches go out in sequence order when
 * committed, and a committer restored after a failure skips the batches it had released.
 */
class SocketReleaseCommitterTest {
    @TempDir
    Path home;

    @Test
    void releasesBatchesInOrderAndSkipsReleasedOnesAfterARestore() throws Exception {
        ExactlyOnceInterfaceSink sink = new ExactlyOnceInterfaceSink(home, List.of("tcp/web"), null, 1 << 20,
                Duration.ofSeconds(10), Duration.ofSeconds(5));
        SocketReleaseCommitter first = committer(sink, false);
        try (SocketChannel analyzer = connect()) {
            Request b2 = new Request(batch(2, "c", "d"));
            Request b1 = new Request(batch(1, "a", "b"));
            first.commit(List.of(b2, b1));
            assertThat(read(analyzer, 4)).isEqualTo("abcd");
        }
        first.close();

        // The process died after releasing #1 and #2; the restored committer gets #2 and #3 again.
        SocketReleaseCommitter restored = committer(sink, true);
        try (SocketChannel analyzer = connect()) {
            Request again = new Request(batch(2, "c", "d"));
            Request next = new Request(batch(3, "e"));
            restored.commit(List.of(again, next));
            assertThat(read(analyzer, 1)).isEqualTo("e");
            assertThat(again.alreadyCommitted).isTrue();
            assertThat(next.alreadyCommitted).isFalse();
        }
        restored.close();

        SocketReleaseCommitter fresh = committer(sink, false);
        try (SocketChannel analyzer = connect()) {
            fresh.commit(List.of(new Request(batch(1, "new job"))));
            assertThat(read(analyzer, 7)).as("a fresh job starts its sequence anew").isEqualTo("new job");
        }
        fresh.close();
    }

    @Test
    void eventBatchesRoundTrip() throws IOException {
        EventBatchSerializer s = new EventBatchSerializer();
        EventBatch b = batch(9, "x", "", "yz");
        assertThat(s.deserialize(EventBatchSerializer.CURRENT_VERSION, s.serialize(b))).isEqualTo(b);
        assertThat(new BatchSequenceSerializer().deserialize(1, new BatchSequenceSerializer().serialize(77L))).isEqualTo(77L);
    }

    private SocketReleaseCommitter committer(ExactlyOnceInterfaceSink sink, boolean restored) throws IOException {
        ReleaseMetrics metrics = new ReleaseMetrics(UnregisteredMetricsGroup.createOperatorMetricGroup());
        InterfaceSocketServer server = new InterfaceSocketServer(new SocketDirectory(home, null), 1 << 20, metrics, "test");
        return new SocketReleaseCommitter(sink, 0, 1, server, ReleaseMarker.open(home, 0, restored), metrics);
    }

    private SocketChannel connect() throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(home.resolve("tcp/web")));
        return c;
    }

    private static String read(SocketChannel c, int n) throws IOException {
        InputStream in = Channels.newInputStream(c);
        return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
    }

    private static EventBatch batch(long sequence, String... events) {
        List<EventBatch.Entry> entries = new ArrayList<>();
        for (String e : events) {
            entries.add(new EventBatch.Entry("tcp/web", e.getBytes(StandardCharsets.US_ASCII)));
        }
        return new EventBatch(0, sequence, System.currentTimeMillis(), entries);
    }

    /** A commit request that records what the committer said. */
    private static final class Request implements CommitRequest<EventBatch> {
        final EventBatch batch;
        boolean alreadyCommitted;

        Request(EventBatch batch) {
            this.batch = batch;
        }

        @Override
        public EventBatch getCommittable() {
            return batch;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public void retryLater() {}

        @Override
        public void updateAndRetryLater(EventBatch committable) {}

        @Override
        public void signalAlreadyCommitted() {
            alreadyCommitted = true;
        }
    }
}
