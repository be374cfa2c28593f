package io.sftap.job.embedded;

import io.sftap.job.SftapJob;
import io.sftap.job.SftapJobOptions;
import io.sftap.job.metrics.SummaryReporter;
import io.sftap.job.metrics.SummaryReporterFactory;
import io.sftap.job.rocksdb.PointLookupOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.CompressionType;

/** Runs a {@link SftapJob} on a local MiniCluster, printing progress and a final summary. */
public final class EmbeddedRunner {
    /** Managed memory of the embedded cluster: RocksDB's cache and write buffers. */
    public static final MemorySize EMBEDDED_MANAGED_MEMORY = MemorySize.parse("1g");

    private final SftapJobOptions options;
    private final Duration progressInterval;
    private final PrintStream log = System.err;
    /** The temporary checkpoint folder this runner made (and removes at the end), if any. */
    private final Path[] ownCheckpointDir = new Path[1];
    /** Flink's temporary files ({@link ProcessTempDir}), removed at the end like the checkpoints. */
    private Path ownTmpDir;
    private Integer webUiPort;

    public EmbeddedRunner(SftapJobOptions options, Duration progressInterval) {
        this.options = options;
        this.progressInterval = progressInterval;
    }

    /** Serves Flink's web UI (and REST API) on {@code localhost:port} while the job runs. */
    public EmbeddedRunner withWebUi(int port) {
        this.webUiPort = port;
        return this;
    }

    /**
     * The Flink configuration of an embedded run: state backend, checkpoints, no Kryo, our reporter,
     * and Flink's temporary files in a folder that goes when the process exits ({@link ProcessTempDir}).
     */
    public static Configuration configuration(SftapJobOptions options) throws IOException {
        Configuration conf = configuration(options, null);
        ProcessTempDir.useFor(conf, ProcessTempDir.createDeletedOnExit());
        return conf;
    }

    private static Configuration configuration(SftapJobOptions options, Path[] createdDir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, options.state == SftapJobOptions.StateBackend.heap ? "hashmap" : "rocksdb");
        if (!options.checkpointInterval.isZero()) {
            Path dir = options.checkpointDir;
            if (dir == null) {
                dir = Files.createTempDirectory("sftap-checkpoints-");
                if (createdDir != null) {
                    createdDir[0] = dir;
                }
            }
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval);
            // As on a cluster (deploy/flink/conf): a full RocksDB checkpoint copies every SST file
            // each time, about 1 GB every 10 s at 10M open flows; incremental ones copy the new
            // files only (docs/performance.md section 18).
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        // The MiniCluster gives RocksDB (block cache, write buffers) only 128 MB of managed memory
        // by default; with a million open flows nearly every state access then misses the cache
        // (5x slower per packet, docs/performance.md). 1 GB is what the benchmarks sized it to.
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, EMBEDDED_MANAGED_MEMORY);
        // Every new flow first reads a key RocksDB has never seen; without Bloom filters that read
        // searches every SST file (docs/performance.md section 11).
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        // Flows are rewritten about once per packet, so compaction runs all the time: LZ4 costs it
        // a third to a half less CPU than RocksDB's default Snappy and leaves a fifth less on disk
        // (docs/performance.md section 15).
        conf.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.LZ4_COMPRESSION));
        // Memtable filters and block hash indexes for point reads of flows (PointLookupOptions).
        PointLookupOptions.install(conf);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.setString("metrics.reporter.sftap.factory.class", SummaryReporterFactory.class.getName());
        return conf;
    }

    /**
     * Parallelism when {@code -p} is not given: every core. Each flow-abstractor instance is one
     * thread that, with millions of open flows, waits on memory; two instances on two cores hold
     * half the flows each and ran 21-56% faster at 10M open sessions, and with the sink chained at
     * any parallelism (one shared socket server per process) they ran about 4% slower than one instance at 10k
     * (docs/performance.md section 19).
     */
    public static int defaultParallelism(int cores) {
        return Math.max(1, cores);
    }

    /** Starts {@code job} on a new local MiniCluster and returns at once. */
    public JobClient submit(SftapJob job) throws Exception {
        Configuration conf = configuration(options, ownCheckpointDir);
        ownTmpDir = ProcessTempDir.create();
        ProcessTempDir.useFor(conf, ownTmpDir);
        int parallelism = options.parallelism != null ? options.parallelism : defaultParallelism(Runtime.getRuntime().availableProcessors());
        StreamExecutionEnvironment env;
        if (webUiPort != null) {
            conf.set(RestOptions.BIND_ADDRESS, "localhost");
            conf.set(RestOptions.ADDRESS, "localhost");
            conf.set(RestOptions.PORT, webUiPort);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            env.setParallelism(parallelism);
        } else {
            env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        }
        job.attach(env);
        return env.executeAsync(SftapJob.JOB_NAME);
    }

    /**
     * Runs {@code job} to its end (a replay) or until the process is told to stop (SIGINT/SIGTERM,
     * e.g. Ctrl-C on a live capture): either way the summary is printed.
     */
    public int run(SftapJob job) throws Exception {
        long start = System.nanoTime();
        JobClient client = submit(job);
        AtomicBoolean summarized = new AtomicBoolean();
        AtomicBoolean stopRequested = new AtomicBoolean();
        Thread stopOnSignal = new Thread(() -> {
            stopRequested.set(true);
            try {
                client.cancel().get(10, TimeUnit.SECONDS);
                client.getJobExecutionResult().handle((r, e) -> null).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.println("sftap: stopping: " + e);
            }
            if (summarized.compareAndSet(false, true)) {
                printSummary(start);
            }
            removeOwnDirs();
        });
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        if (webUiPort != null) {
            log.println("sftap: Flink web UI at http://localhost:" + webUiPort + "/");
        }
        try {
            var result = client.getJobExecutionResult();
            while (!result.isDone()) {
                try {
                    result.get(progressInterval.isZero() ? 1000 : progressInterval.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (!progressInterval.isZero()) {
                        printProgress(start);
                    }
                }
            }
            result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!stopRequested.get()) {
                removeOwnDirs(); // the job failed: nothing will resume it
                throw e;
            }
            // Cancelled because the process was told to stop: the hook prints the summary.
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook prints the summary
            }
        }
        if (summarized.compareAndSet(false, true)) {
            printSummary(start);
        }
        removeOwnDirs();
        return 0;
    }

    /**
     * An embedded run's checkpoints cannot be resumed from once it ended or was stopped (no option
     * takes them up again), and Flink's temporary files are of no use after it: the folders this
     * runner made for them go.
     */
    private void removeOwnDirs() {
        if (ownCheckpointDir[0] != null) {
            ProcessTempDir.delete(ownCheckpointDir[0]);
        }
        if (ownTmpDir != null) {
            ProcessTempDir.delete(ownTmpDir);
        }
    }

    private Map<String, Long> counters() {
        SummaryReporter r = SummaryReporter.latest();
        return r == null ? Map.of() : r.snapshot();
    }

    private void printProgress(long start) {
        Map<String, Long> c = counters();
        double secs = (System.nanoTime() - start) / 1e9;
        long packets = c.getOrDefault("packets", 0L);
        log.printf("progress: %.0fs packets=%d (%.0f/s) bytes=%d flows=%d events=%d drops=%d%n",
                secs, packets, packets / Math.max(secs, 1e-3), c.getOrDefault("bytes", 0L),
                c.getOrDefault("flows_created", 0L), c.getOrDefault("events_out", 0L), sumPrefix(c, "drop."));
    }

    private void printSummary(long start) {
        Map<String, Long> c = counters();
        double secs = (System.nanoTime() - start) / 1e9;
        log.printf("summary: finished in %.1fs%n", secs);
        for (Map.Entry<String, Long> e : c.entrySet()) {
            if (e.getValue() != 0 || !e.getKey().contains(".")) {
                log.printf("  %-40s %d%n", e.getKey(), e.getValue());
            }
        }
    }

    private static long sumPrefix(Map<String, Long> c, String prefix) {
        return c.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }
}
