package io.sftap.bench.e2e;

import io.sftap.bench.gen.SocketTotals;
import io.sftap.job.SftapJob;
import io.sftap.job.SftapJobFactory;
import io.sftap.job.SftapJobOptions;
import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.embedded.EmbeddedRunner;
import io.sftap.job.metrics.SummaryReporter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * One end-to-end run: a generated capture through the embedded job (as {@code sftap run} builds it)
 * to a draining analyzer on every interface socket; checks that every expected byte arrived and
 * appends one result line (packets/s, Gbit/s, events/s, memory, state on disk, start-up time).
 *
 * <pre>{@code
 * java io.sftap.bench.e2e.EndToEndBenchmark --capture /tmp/w --state rocksdb -p 2 --results r.tsv
 * }</pre>
 */
public final class EndToEndBenchmark {
    @Option(names = "--capture", required = true, paramLabel = "PREFIX",
            description = "Generator output: PREFIX.pcap and PREFIX.expected.properties.")
    Path capture;

    @Option(names = "--state", defaultValue = "rocksdb") SftapJobOptions.StateBackend state;

    @Option(names = {"-p", "--parallelism"}, defaultValue = "2") int parallelism;

    @Option(names = "--checkpoint-interval", defaultValue = "PT10S",
            converter = SftapJobOptions.DurationConverter.class) Duration checkpointInterval;

    @Option(names = "--work", paramLabel = "DIR", description = "Home, RocksDB and checkpoint directories (a temp dir by default).")
    Path work;

    @Option(names = "--flink", paramLabel = "KEY=VALUE", description = "Extra Flink configuration (compare variants).")
    Map<String, String> flink = new LinkedHashMap<>();

    @Option(names = "--connection-buffer", defaultValue = "67108864", paramLabel = "BYTES",
            description = "Per-analyzer queue of the sink (sftap run --connection-buffer; default ${DEFAULT-VALUE}):"
                    + " on 2 shared cores a reader descheduled for a moment must not overflow it.")
    int connectionBufferBytes;

    /** Kept as text, read only when given: --against runs older sftap classes that lack the option. */
    @Option(names = "--state-cache-memory", paramLabel = "SIZE",
            description = "As sftap run's --state-cache-memory (compare variants; default: sftap's).")
    String stateCacheMemory;

    @Option(names = "--label", defaultValue = "run") String label;

    @Option(names = "--results", paramLabel = "FILE", description = "Appends one TSV line per run.")
    Path results;

    private long cpuNanos;

    /** CPU time of this whole process (job, analyzers, sampler): robust when other load shares the cores. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        EndToEndBenchmark b = new EndToEndBenchmark();
        new CommandLine(b).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        boolean lossless = b.run();
        System.exit(lossless ? 0 : 1);
    }

    boolean run() throws Exception {
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path pcap = capture.resolveSibling(capture.getFileName() + ".pcap");
        Path expectedFile = capture.resolveSibling(capture.getFileName() + ".expected.properties");
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("sftap-bench-");
        Path rocks = dir.resolve("rocksdb");

        SftapJobOptions options = new SftapJobOptions();
        options.pcaps = List.of(pcap);
        options.home = dir.resolve("home");
        options.parallelism = parallelism;
        options.state = state;
        options.checkpointInterval = checkpointInterval;
        options.checkpointDir = dir.resolve("checkpoints");
        options.waitAnalyzers = Duration.ofSeconds(120);
        options.connectionBufferBytes = connectionBufferBytes;
        if (stateCacheMemory != null) {
            options.stateCacheMemory = new SftapJobOptions.MemoryConverter().convert(stateCacheMemory);
        }
        SftapJobFactory factory = new SftapJobFactory(options).validate();
        SftapJob job = factory.inOneProcess().create();

        AtomicLong firstEvent = new AtomicLong();
        Map<String, SocketDrain> drains = new TreeMap<>();
        List<Thread> threads = new ArrayList<>();
        for (InterfaceSpec spec : factory.config().rules.interfaces()) {
            for (String socket : spec.socketPaths()) {
                SocketDrain d = new SocketDrain(options.home.resolve(socket), spec.binary, spec.body, firstEvent);
                drains.put(socket, d);
                Thread t = new Thread(d, "drain " + socket);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        Configuration conf = EmbeddedRunner.configuration(options);
        conf.setString("state.backend.rocksdb.localdir", rocks.toString());
        flink.forEach(conf::setString);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        job.attach(env);

        long submitted;
        long finished;
        long cpuBefore = processCpuNanos();
        // Progress in DATA bytes: exact for a lossless run, unlike the number of DATA events.
        long expectedBytes = SocketTotals.read(expectedFile).values().stream().mapToLong(t -> t.dataBytes).sum();
        LongSupplier bytesRead = () -> drains.values().stream().mapToLong(d -> d.dataBytesRead).sum();
        try (ResourceSampler sampler = new ResourceSampler(rocks);
                ProgressClock progress = new ProgressClock(bytesRead, expectedBytes)) {
            submitted = System.nanoTime();
            JobClient client = env.executeAsync(SftapJob.JOB_NAME);
            client.getJobExecutionResult().get();
            finished = System.nanoTime();
            for (Thread t : threads) {
                t.join(120_000);
            }
            sampler.close();
            cpuNanos = processCpuNanos() - cpuBefore;
            progress.close();
            return report(expectedFile, drains, firstEvent.get(), submitted, finished, jvmStartMillis, sampler, progress);
        }
    }

    private boolean report(Path expectedFile, Map<String, SocketDrain> drains, long firstEvent, long submitted,
            long finished, long jvmStartMillis, ResourceSampler sampler, ProgressClock progress) throws IOException {
        Map<String, SocketTotals> expected = SocketTotals.read(expectedFile);
        boolean lossless = true;
        long events = 0;
        long drainCpu = 0;
        StringBuilder mismatches = new StringBuilder();
        for (Map.Entry<String, SocketDrain> e : drains.entrySet()) {
            SocketDrain d = e.getValue();
            events += d.events;
            drainCpu += d.cpuNanos;
            if (d.failure != null) {
                lossless = false;
                mismatches.append("  ").append(e.getKey()).append(": reader failed: ").append(d.failure).append('\n');
            }
            SocketTotals want = expected.getOrDefault(e.getKey(), new SocketTotals());
            if (!want.sameDelivery(d.totals)) {
                lossless = false;
                mismatches.append("  ").append(e.getKey()).append(": expected ").append(want)
                        .append(", received ").append(d.totals).append('\n');
            }
        }
        long packets = SocketTotals.fact(expectedFile, "packets");
        long frameBytes = SocketTotals.fact(expectedFile, "frame_bytes");
        long sessions = SocketTotals.fact(expectedFile, "concurrency");
        double wall = (finished - submitted) / 1e9;
        double steady = firstEvent > 0 ? (finished - firstEvent) / 1e9 : wall;
        long startMillis = System.currentTimeMillis() - (System.nanoTime() - submitted) / 1_000_000;
        double startToFirst = firstEvent > 0
                ? (startMillis - jvmStartMillis) / 1e3 + (firstEvent - submitted) / 1e9 : -1;
        Map<String, Long> counters = SummaryReporter.latest() == null ? Map.of() : SummaryReporter.latest().snapshot();

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("date", LocalDate.now());
        row.put("label", label);
        row.put("state", state);
        row.put("p", parallelism);
        row.put("open_sessions", sessions);
        row.put("packets", packets);
        row.put("wall_s", fmt(wall));
        row.put("pps", Math.round(packets / steady));
        row.put("gbit_s", fmt(frameBytes * 8 / steady / 1e9));
        // The second half of the DATA bytes, against the time it took: the rate once the JIT has
        // compiled the hot paths (it takes a quarter of the CPU for the first ~25 s), without the
        // job's shutdown after the last event (a final checkpoint among others).
        long halfway = progress.halfwayNanos();
        long complete = progress.completeNanos() > 0 ? progress.completeNanos() : finished;
        double secondHalf = halfway > 0 && complete > halfway ? (complete - halfway) / 1e9 : steady;
        row.put("pps_2nd_half", Math.round(packets / 2.0 / secondHalf));
        row.put("gbit_2nd_half", fmt(frameBytes / 2.0 * 8 / secondHalf / 1e9));
        row.put("cpu_s", fmt(cpuNanos / 1e9));
        row.put("pkts_per_cpu_s", Math.round(packets / (cpuNanos / 1e9)));
        row.put("analyzer_cpu_s", fmt(drainCpu / 1e9));
        row.put("job_pkts_per_cpu_s", Math.round(packets / ((cpuNanos - drainCpu) / 1e9)));
        row.put("events", events);
        row.put("events_s", Math.round(events / steady));
        row.put("rss_mb", ResourceSampler.peakRss() >> 20);
        row.put("heap_peak_mb", sampler.peakHeapUsed >> 20);
        row.put("heap_live_mb", sampler.peakLiveHeap >> 20);
        row.put("state_disk_mb", fmt(sampler.peakStateBytes / 1048576.0));
        row.put("first_event_s", fmt(startToFirst));
        row.put("drops", counters.entrySet().stream().filter(c -> c.getKey().startsWith("drop."))
                .mapToLong(Map.Entry::getValue).sum());
        row.put("lossless", lossless);

        // The job's caches, for the reader of a run (not a column: older sftap classes lack some).
        StringBuilder caches = new StringBuilder();
        counters.forEach((k, v) -> {
            if (k.startsWith("state_cache.") || k.startsWith("encoded_state_cache.") || k.startsWith("new_flow_filter.")) {
                caches.append(' ').append(k).append('=').append(v);
            }
        });
        if (caches.length() > 0) {
            System.err.println("caches [" + label + "]:" + caches);
        }
        // Where the CPU went, Java and native threads (RocksDB's compaction is rocksdb:low).
        System.err.println("threads [" + label + "]: " + sampler.threads.summary(1.0));
        String header = String.join("\t", row.keySet());
        String line = String.join("\t", row.values().stream().map(String::valueOf).toList());
        System.out.println(header);
        System.out.println(line);
        if (!lossless) {
            System.out.print("LOSS:\n" + mismatches);
            counters.forEach((k, v) -> {
                if (k.startsWith("drop.") && v != 0) {
                    System.out.println("  " + k + " = " + v);
                }
            });
        }
        if (results != null) {
            if (!Files.exists(results)) {
                Files.writeString(results, header + "\n");
            }
            Files.writeString(results, line + "\n", StandardOpenOption.APPEND);
        }
        return lossless;
    }

    private static String fmt(double v) {
        return String.format("%.2f", v);
    }
}
