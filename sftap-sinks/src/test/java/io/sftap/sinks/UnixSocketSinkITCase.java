package io.sftap.sinks;

import static io.sftap.sinks.TestAnalyzer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.sinks.wire.WireEvent;
import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interface sink's writer against real UNIX-domain sockets and real analyzer connections. */
class UnixSocketSinkITCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final SinkWriter.Context NO_CONTEXT = new SinkWriter.Context() {
        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Override
        public Long timestamp() {
            return null;
        }
    };

    @TempDir Path home;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    @Test
    void deliversEventsInOrderToAnAnalyzer() throws Exception {
        TestWriterInitContext ctx = new TestWriterInitContext(0, 1);
        UnixSocketSinkWriter writer = writer(sink(List.of("tcp/http")), ctx);
        TestAnalyzer analyzer = analyzer("tcp/http", false);
        await(() -> analyzers(ctx) == 1, TIMEOUT, () -> "analyzer accepted");

        List<FlowEvent> sent = flowOf(100, "tcp/http", false);
        for (FlowEvent e : sent) {
            writer.write(e, NO_CONTEXT);
        }

        List<WireEvent> got = analyzer.awaitEvents(sent.size(), TIMEOUT);
        assertSameEvents(got, sent);
        assertThat(ctx.counter("socket", "tcp/http", "events")).isEqualTo(sent.size());
        assertThat(ctx.counter("socket", "tcp/http", "bytes")).isGreaterThan(100L * 1000);
        assertThat(ctx.counter("drop", "no_analyzer")).isZero();
        assertThat(ctx.counter("drop", "overflow")).isZero();
    }

    @Test
    void givesEveryAnalyzerEveryEvent() throws Exception {
        TestWriterInitContext ctx = new TestWriterInitContext(0, 1);
        UnixSocketSinkWriter writer = writer(sink(List.of("tcp/tls")), ctx);
        TestAnalyzer first = analyzer("tcp/tls", true);
        TestAnalyzer second = analyzer("tcp/tls", true);
        await(() -> analyzers(ctx) == 2, TIMEOUT, () -> "two analyzers accepted");

        List<FlowEvent> sent = flowOf(50, "tcp/tls", true);
        for (FlowEvent e : sent) {
            writer.write(e, NO_CONTEXT);
        }

        assertSameEvents(first.awaitEvents(sent.size(), TIMEOUT), sent);
        assertSameEvents(second.awaitEvents(sent.size(), TIMEOUT), sent);
        assertThat(ctx.gauge("socket", "tcp/tls", "analyzers")).isEqualTo(2);
    }

    @Test
    void discardsAndCountsEventsWithoutAnalyzerThenServesFromConnectOn() throws Exception {
        TestWriterInitContext ctx = new TestWriterInitContext(0, 1);
        UnixSocketSinkWriter writer = writer(sink(List.of("udp/dns")), ctx);
        List<FlowEvent> sent = flowOf(5, "udp/dns", false);
        for (FlowEvent e : sent.subList(0, 3)) {
            writer.write(e, NO_CONTEXT);
        }
        assertThat(ctx.counter("drop", "no_analyzer")).isEqualTo(3);

        TestAnalyzer late = analyzer("udp/dns", false);
        await(() -> analyzers(ctx) == 1, TIMEOUT, () -> "analyzer accepted");
        for (FlowEvent e : sent.subList(3, 5)) {
            writer.write(e, NO_CONTEXT);
        }

        assertSameEvents(late.awaitEvents(2, TIMEOUT), sent.subList(3, 5));
        assertThat(ctx.counter("drop", "no_analyzer")).isEqualTo(3);
        assertThat(ctx.counter("socket", "udp/dns", "events")).isEqualTo(5);
    }

    @Test
    void restrictsFoldersAndSocketsToOwnerAndGroup() throws Exception {
        String group = otherGroupIfRoot();
        Path root = home.resolve("sf-tap");
        UnixSocketSink sink = UnixSocketSink.builder().setHome(root).setSockets(List.of("tcp/http"))
                .setGroup(group).build();
        UnixSocketSinkWriter writer = writer(sink, new TestWriterInitContext(0, 1));
        writer.write(event("udp/dns", FlowEvent.created(key(1), 1_000_000_000L)), NO_CONTEXT);

        for (String folder : List.of("", "tcp", "udp")) {
            PosixFileAttributes a = posix(root.resolve(folder));
            assertThat(PosixFilePermissions.toString(a.permissions())).as("folder %s", folder).isEqualTo("rwxr-x---");
            assertThat(a.group().getName()).as("group of folder %s", folder).isEqualTo(group);
        }
        for (String socket : List.of("tcp/http", "udp/dns")) {
            PosixFileAttributes a = posix(root.resolve(socket));
            assertThat(a.isOther()).as("%s is a socket", socket).isTrue();
            assertThat(PosixFilePermissions.toString(a.permissions())).as("socket %s", socket).isEqualTo("rw-rw----");
            assertThat(a.group().getName()).as("group of socket %s", socket).isEqualTo(group);
        }
    }

    @Test
    void replacesStaleSocketButRefusesOtherFiles() throws Exception {
        Files.createDirectories(home.resolve("tcp"));
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(home.resolve("tcp/http")));
        }
        assertThat(home.resolve("tcp/http")).exists();
        Files.writeString(home.resolve("tcp/notes"), "not a socket");

        TestWriterInitContext ctx = new TestWriterInitContext(0, 1);
        writer(sink(List.of("tcp/http")), ctx);
        TestAnalyzer analyzer = analyzer("tcp/http", false);
        await(() -> analyzers(ctx) == 1, TIMEOUT, () -> "analyzer accepted on the re-created socket");

        assertThatThrownBy(() -> writer(sink(List.of("tcp/notes")), new TestWriterInitContext(0, 1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refusing to replace " + home.resolve("tcp/notes"))
                .hasMessageContaining("regular file");
        assertThat(Files.readString(home.resolve("tcp/notes"))).isEqualTo("not a socket");
        assertThat(analyzer.failure()).isNull();
    }

    @Test
    void stuckAnalyzerDoesNotSlowAnotherAndLosesOnlyWholeEvents() throws Exception {
        int bufferBytes = 1 << 20;
        int eventBytes = 16 * 1024;
        int count = 20 * 1024 * 1024 / eventBytes;
        TestWriterInitContext ctx = new TestWriterInitContext(0, 1);
        UnixSocketSink sink = UnixSocketSink.builder().setHome(home).setSockets(List.of("tcp/bulk"))
                .setConnectionBufferBytes(bufferBytes).setDrainTimeout(TIMEOUT).build();
        UnixSocketSinkWriter writer = writer(sink, ctx);
        TestAnalyzer stuck = TestAnalyzer.connect(home.resolve("tcp/bulk"), true, true);
        closeAfter.add(stuck);
        TestAnalyzer healthy = analyzer("tcp/bulk", true);
        await(() -> analyzers(ctx) == 2, TIMEOUT, () -> "two analyzers accepted");

        long sentBytes = 0;
        for (int seq = 0; seq < count; seq++) {
            writer.write(numbered("tcp/bulk", seq, eventBytes), NO_CONTEXT);
            sentBytes += eventBytes;
            // Pace by the healthy analyzer only, as Flink's upstream would; if the stuck one could
            // hold the writer back, this loop would never finish.
            long ahead = sentBytes;
            await(() -> ahead - healthy.bytes() <= bufferBytes / 2, TIMEOUT, () -> "healthy analyzer keeps up");
        }

        List<WireEvent> got = healthy.awaitEvents(count, TIMEOUT);
        for (int seq = 0; seq < count; seq++) {
            assertThat(sequenceOf(got.get(seq))).isEqualTo(seq);
        }
        long overflow = ctx.counter("drop", "overflow");
        assertThat(overflow).as("events the stuck analyzer lost").isGreaterThan(count / 2);

        // Once it reads, the stuck analyzer finds only whole events, in order, with gaps.
        stuck.startReading();
        writer.flush(true);
        writer.close();
        closeAfter.remove(writer);
        await(stuck::ended, TIMEOUT, () -> "stuck analyzer sees the end of the stream");
        assertThat(stuck.failure()).isNull();
        List<WireEvent> partial = stuck.events();
        assertThat(partial.size() + overflow).isEqualTo(count);
        for (int i = 1; i < partial.size(); i++) {
            assertThat(sequenceOf(partial.get(i))).isGreaterThan(sequenceOf(partial.get(i - 1)));
            assertThat(partial.get(i).event().data).hasSize(eventBytes);
        }
    }

    @Test
    void removesAnalyzerThatLeavesAndServesOneThatReconnects() throws Exception {
        TestWriterInitContext ctx = new TestWriterInitContext(0, 1);
        UnixSocketSinkWriter writer = writer(sink(List.of("tcp/http")), ctx);
        List<FlowEvent> sent = flowOf(4, "tcp/http", false);

        TestAnalyzer first = analyzer("tcp/http", false);
        await(() -> analyzers(ctx) == 1, TIMEOUT, () -> "first analyzer accepted");
        writer.write(sent.get(0), NO_CONTEXT);
        assertSameEvents(first.awaitEvents(1, TIMEOUT), sent.subList(0, 1));
        first.close();
        await(() -> ctx.counter("disconnects") == 1, TIMEOUT, () -> "analyzer removed");
        assertThat(analyzers(ctx)).isZero();

        writer.write(sent.get(1), NO_CONTEXT);
        assertThat(ctx.counter("drop", "no_analyzer")).isEqualTo(1);

        TestAnalyzer second = analyzer("tcp/http", false);
        await(() -> analyzers(ctx) == 1, TIMEOUT, () -> "second analyzer accepted");
        writer.write(sent.get(2), NO_CONTEXT);
        writer.write(sent.get(3), NO_CONTEXT);
        assertSameEvents(second.awaitEvents(2, TIMEOUT), sent.subList(2, 4));
        assertThat(ctx.counter("connects")).isEqualTo(2);
    }

    @Test
    void waitsForAnalyzersBeforeTheFirstEventUntilOneConnects() throws Exception {
        TestWriterInitContext ctx = new TestWriterInitContext(0, 1);
        UnixSocketSink sink = UnixSocketSink.builder().setHome(home).setSockets(List.of("tcp/http"))
                .setWaitForAnalyzers(TIMEOUT).build();
        UnixSocketSinkWriter writer = writer(sink, ctx);
        FlowEvent first = flowOf(1, "tcp/http", false).get(0);

        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            try {
                writer.write(first, NO_CONTEXT);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        assertThat(write).as("write waits while no analyzer is connected").isNotDone();

        TestAnalyzer analyzer = analyzer("tcp/http", false);
        write.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertSameEvents(analyzer.awaitEvents(1, TIMEOUT), List.of(first));
        assertThat(ctx.counter("drop", "no_analyzer")).isZero();
    }

    @Test
    void givesUpWaitingForAnalyzersAfterTheTimeout() throws Exception {
        TestWriterInitContext ctx = new TestWriterInitContext(0, 1);
        UnixSocketSink sink = UnixSocketSink.builder().setHome(home).setSockets(List.of("tcp/http", "udp/dns"))
                .setWaitForAnalyzers(Duration.ofMillis(200)).build();
        UnixSocketSinkWriter writer = writer(sink, ctx);
        analyzer("udp/dns", false);

        long start = System.nanoTime();
        writer.write(flowOf(1, "tcp/http", false).get(0), NO_CONTEXT);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150), TIMEOUT);
        assertThat(ctx.counter("drop", "no_analyzer")).isEqualTo(1);
    }

    @Test
    void writersServeOnlyTheSocketsTheyOwn() throws Exception {
        List<String> sockets = List.of("tcp/a", "tcp/b", "tcp/c", "udp/d", "udp/e", "udp/f");
        SocketPartitioner partitioner = new SocketPartitioner();
        TestWriterInitContext[] ctx = {new TestWriterInitContext(0, 2), new TestWriterInitContext(1, 2)};
        UnixSocketSinkWriter[] writers = {writer(sink(sockets), ctx[0]), writer(sink(sockets), ctx[1])};

        for (String s : sockets) {
            int owner = partitioner.partition(s, 2);
            assertThat(home.resolve(s)).exists();
            TestAnalyzer a = analyzer(s, false);
            await(() -> ctx[owner].gauge("socket", s, "analyzers").equals(1), TIMEOUT, () -> s + " served by " + owner);
            FlowEvent e = event(s, FlowEvent.created(key(7), 2_000_000_000L));
            writers[owner].write(e, NO_CONTEXT);
            writers[1 - owner].write(e, NO_CONTEXT);
            assertSameEvents(a.awaitEvents(1, TIMEOUT), List.of(e));
        }
        assertThat(ctx[0].counter("drop", "not_owned") + ctx[1].counter("drop", "not_owned")).isEqualTo(sockets.size());

        String fresh = "tcp/new_from_rule_update";
        int owner = partitioner.partition(fresh, 2);
        assertThat(home.resolve(fresh)).doesNotExist();
        writers[owner].write(event(fresh, FlowEvent.created(key(8), 3_000_000_000L)), NO_CONTEXT);
        assertThat(SocketDirectoryProbe.isSocket(home.resolve(fresh))).isTrue();
    }

    @Test
    void writersSharingTheProcessServeEverySocketAndCountEachAnalyzerOnce() throws Exception {
        List<String> sockets = List.of("tcp/a", "tcp/b", "tcp/c", "udp/d");
        TestWriterInitContext[] ctx = {new TestWriterInitContext(0, 2), new TestWriterInitContext(1, 2)};
        UnixSocketSink sink = sharedSink(sockets);
        UnixSocketSinkWriter[] writers = {writer(sink, ctx[0]), writer(sink, ctx[1])};

        for (String s : sockets) {
            TestAnalyzer a = analyzer(s, false);
            await(() -> ctx[0].gauge("socket", s, "analyzers").equals(1), TIMEOUT, () -> s + " accepted");
            FlowEvent first = event(s, FlowEvent.created(key(7), 2_000_000_000L));
            FlowEvent second = event(s, FlowEvent.created(key(8), 3_000_000_000L));
            writers[1].write(first, NO_CONTEXT);
            writers[0].write(second, NO_CONTEXT);
            assertSameEvents(a.awaitEvents(2, TIMEOUT), List.of(first, second));
        }
        assertThat(ctx[0].counter("drop", "not_owned") + ctx[1].counter("drop", "not_owned")).isZero();
        assertThat(ctx[0].counter("connects")).isEqualTo(sockets.size());
        assertThat(analyzers(ctx[0])).isEqualTo(sockets.size());
        assertThatThrownBy(() -> ctx[1].counter("connects")).as("the server's analyzers are reported once")
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ctx[1].gauge("analyzers")).isInstanceOf(AssertionError.class);
        assertThat(ctx[0].counter("socket", "tcp/a", "events")).isEqualTo(1);
        assertThat(ctx[1].counter("socket", "tcp/a", "events")).isEqualTo(1);

        String fresh = "tcp/new_from_rule_update";
        writers[1].write(event(fresh, FlowEvent.created(key(9), 4_000_000_000L)), NO_CONTEXT);
        writers[0].write(event(fresh, FlowEvent.created(key(10), 4_000_000_000L)), NO_CONTEXT);
        assertThat(SocketDirectoryProbe.isSocket(home.resolve(fresh))).isTrue();
        assertThat(ctx[0].counter("drop", "no_analyzer") + ctx[1].counter("drop", "no_analyzer")).isEqualTo(2);
    }

    @Test
    void writersOnTwoThreadsOfASharedServerDeliverWholeEventsInEachFlowsOrder() throws Exception {
        // A buffer that holds all 6000 events (about 5 MB): with the default 4 MB, an analyzer that
        // falls behind on a loaded machine may lose events to overflow, as the sink should; a CI run
        // (2026-12-07) came 94 events short, most likely so. This test is about wholeness and order.
        UnixSocketSink sink = UnixSocketSink.builder().setHome(home).setSockets(List.of("tcp/bulk"))
                .setSharedInProcess(true).setConnectionBufferBytes(16 << 20).build();
        TestWriterInitContext[] ctx = {new TestWriterInitContext(0, 2), new TestWriterInitContext(1, 2)};
        UnixSocketSinkWriter[] writers = {writer(sink, ctx[0]), writer(sink, ctx[1])};
        TestAnalyzer analyzer = analyzer("tcp/bulk", true);
        await(() -> analyzers(ctx[0]) == 1, TIMEOUT, () -> "analyzer accepted");
        int perWriter = 3000;

        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            UnixSocketSinkWriter writer = writers[w];
            FlowKey flow = key(20 + w);
            done.add(CompletableFuture.runAsync(() -> {
                for (int seq = 0; seq < perWriter; seq++) {
                    try {
                        writer.write(numbered(flow, "tcp/bulk", seq, 100 + seq % 1500), NO_CONTEXT);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        writers[0].flush(true);

        List<WireEvent> got;
        try {
            got = analyzer.awaitEvents(2 * perWriter, TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; overflow drops: "
                    + (ctx[0].counter("drop", "overflow") + ctx[1].counter("drop", "overflow")), e);
        }
        for (int w = 0; w < 2; w++) {
            FlowKey flow = key(20 + w);
            List<FlowEvent> ofFlow = got.stream().map(WireEvent::event).filter(e -> e.key.equals(flow)).toList();
            assertThat(ofFlow).as("events of writer %d", w).hasSize(perWriter);
            for (int seq = 0; seq < perWriter; seq++) {
                assertThat(ByteBuffer.wrap(ofFlow.get(seq).data).getInt()).as("event %d of writer %d", seq, w).isEqualTo(seq);
                assertThat(ofFlow.get(seq).data).hasSize(100 + seq % 1500);
            }
        }
        assertThat(ctx[0].counter("drop", "overflow") + ctx[1].counter("drop", "overflow")).isZero();
    }

    @Test
    void theLastWriterOfASharedServerToCloseRemovesItsSockets() throws Exception {
        UnixSocketSink sink = sharedSink(List.of("tcp/http"));
        TestWriterInitContext[] ctx = {new TestWriterInitContext(0, 2), new TestWriterInitContext(1, 2)};
        UnixSocketSinkWriter[] writers = {writer(sink, ctx[0]), writer(sink, ctx[1])};
        TestAnalyzer analyzer = analyzer("tcp/http", false);
        await(() -> analyzers(ctx[0]) == 1, TIMEOUT, () -> "analyzer accepted");

        writers[0].close();
        closeAfter.remove(writers[0]);
        FlowEvent after = event("tcp/http", FlowEvent.created(key(3), 2_000_000_000L));
        writers[1].write(after, NO_CONTEXT);

        assertSameEvents(analyzer.awaitEvents(1, TIMEOUT), List.of(after));
        assertThat(home.resolve("tcp/http")).exists();
        writers[1].close();
        closeAfter.remove(writers[1]);
        assertThat(home.resolve("tcp/http")).doesNotExist();
        await(analyzer::ended, TIMEOUT, () -> "analyzer sees end of stream");

        UnixSocketSinkWriter next = writer(sink, new TestWriterInitContext(0, 2));
        assertThat(SocketDirectoryProbe.isSocket(home.resolve("tcp/http"))).as("a new server after the last close").isTrue();
        next.close();
        closeAfter.remove(next);
    }

    @Test
    void aSinkWithOtherSettingsCannotShareAHomeServedInTheProcess() throws Exception {
        writer(sharedSink(List.of("tcp/http")), new TestWriterInitContext(0, 2));
        UnixSocketSink other = UnixSocketSink.builder().setHome(home).setSockets(List.of("tcp/http"))
                .setConnectionBufferBytes(4096).setSharedInProcess(true).build();

        assertThatThrownBy(() -> other.createWriter(new TestWriterInitContext(1, 2)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(home.toString())
                .hasMessageContaining("connection buffer=4096");
    }

    @Test
    void closeRemovesSocketFilesAndDisconnectsAnalyzers() throws Exception {
        UnixSocketSinkWriter writer = writer(sink(List.of("tcp/http", "udp/dns")), new TestWriterInitContext(0, 1));
        TestAnalyzer analyzer = analyzer("tcp/http", false);

        writer.close();
        closeAfter.remove(writer);

        assertThat(home.resolve("tcp/http")).doesNotExist();
        assertThat(home.resolve("udp/dns")).doesNotExist();
        await(analyzer::ended, TIMEOUT, () -> "analyzer sees end of stream");
    }

    // ---- helpers

    private UnixSocketSink sink(List<String> sockets) {
        return UnixSocketSink.builder().setHome(home).setSockets(sockets).build();
    }

    private UnixSocketSink sharedSink(List<String> sockets) {
        return UnixSocketSink.builder().setHome(home).setSockets(sockets).setSharedInProcess(true).build();
    }

    private UnixSocketSinkWriter writer(UnixSocketSink sink, TestWriterInitContext ctx) throws IOException {
        UnixSocketSinkWriter w = (UnixSocketSinkWriter) sink.createWriter(ctx);
        closeAfter.add(w);
        return w;
    }

    private TestAnalyzer analyzer(String socket, boolean binary) throws IOException {
        TestAnalyzer a = TestAnalyzer.reading(home.resolve(socket), binary, true);
        closeAfter.add(a);
        return a;
    }

    private static int analyzers(TestWriterInitContext ctx) {
        return (Integer) ctx.gauge("analyzers");
    }

    private static FlowKey key(int n) {
        return new FlowKey(0, 4, IpProtocols.TCP, Addresses.parse("10.0.0." + n), 80,
                Addresses.parse("192.168.1." + n), 40000 + n);
    }

    private static FlowEvent event(String socket, FlowEvent e) {
        return e.routeTo(socket.substring(socket.indexOf('/') + 1), socket, false, true);
    }

    /** CREATED, n-2 DATA of growing size in both directions, DESTROYED. */
    private static List<FlowEvent> flowOf(int n, String socket, boolean binary) {
        FlowKey k = key(1);
        long t = 1_437_142_526_000_000_000L;
        List<FlowEvent> events = new ArrayList<>();
        events.add(FlowEvent.created(k, t));
        for (int i = 1; i < n - 1; i++) {
            byte[] data = new byte[1000 + i * 37];
            for (int j = 0; j < data.length; j++) {
                data[j] = (byte) (i + j);
            }
            Direction from = i % 2 == 0 ? Direction.FROM_ENDPOINT1 : Direction.FROM_ENDPOINT2;
            events.add(FlowEvent.data(k, from, i % 2 == 0 ? Match.DOWN : Match.UP, data, t + i * 1_000_000L));
        }
        if (n > 1) {
            events.add(FlowEvent.destroyed(k, Reason.RESET, t + n * 1_000_000L));
        }
        String iface = socket.substring(socket.indexOf('/') + 1);
        events.forEach(e -> e.routeTo(iface, socket, binary, true));
        return events;
    }

    private static FlowEvent numbered(String socket, int seq, int size) {
        return numbered(key(2), socket, seq, size);
    }

    private static FlowEvent numbered(FlowKey flow, String socket, int seq, int size) {
        byte[] data = new byte[size];
        ByteBuffer.wrap(data).putInt(seq);
        return FlowEvent.data(flow, Direction.FROM_ENDPOINT1, Match.NONE, data, 1_000_000_000L * seq)
                .routeTo("bulk", socket, true, true);
    }

    private static int sequenceOf(WireEvent e) {
        return ByteBuffer.wrap(e.event().data).getInt();
    }

    private static void assertSameEvents(List<WireEvent> got, List<FlowEvent> sent) {
        assertThat(got).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            FlowEvent s = sent.get(i);
            FlowEvent r = got.get(i).event();
            assertThat(r.type).as("type of event %d", i).isEqualTo(s.type);
            assertThat(r.key).as("key of event %d", i).isEqualTo(s.key);
            assertThat(r.timestampNanos).as("time of event %d", i).isEqualTo(s.timestampNanos);
            if (s.type == EventType.DATA) {
                assertThat(r.from).isEqualTo(s.from);
                assertThat(r.data).as("data of event %d", i).isEqualTo(s.data);
            }
        }
    }

    private static PosixFileAttributes posix(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** As root, a group other than ours (so chown must really happen); otherwise our own group. */
    private String otherGroupIfRoot() throws IOException {
        Path probe = Files.createTempFile(home, "probe", "");
        GroupPrincipal mine = posix(probe).group();
        Files.delete(probe);
        if ("root".equals(System.getProperty("user.name"))) {
            try {
                return home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("daemon").getName();
            } catch (IOException e) {
                return mine.getName();
            }
        }
        return mine.getName();
    }
}
