package io.sftap.job.replicate;

import io.sftap.job.embedded.ProcessTempDir;
import io.sftap.job.metrics.SummaryReporter;
import io.sftap.job.metrics.SummaryReporterFactory;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a {@link ReplicatorJob} on a local MiniCluster until stopped (SIGINT/SIGTERM) or for a fixed
 * time, printing progress lines and, at the end, the counters per rule and collector.
 */
public final class ReplicatorRunner {
    private final int parallelism;
    private final Duration progressInterval;
    private final Duration duration;
    private final PrintStream log;

    public ReplicatorRunner(int parallelism, Duration progressInterval, Duration duration, PrintStream log) {
        this.parallelism = parallelism;
        this.progressInterval = progressInterval;
        this.duration = duration;
        this.log = log;
    }

    public int run(ReplicatorJob job) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.setString("metrics.reporter.sftap.factory.class", SummaryReporterFactory.class.getName());
        // Its RPC jar (24 MB) and REST upload folder go with the process, not into the system temp dir.
        ProcessTempDir.useFor(conf, ProcessTempDir.createDeletedOnExit());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        job.attach(env);
        long start = System.nanoTime();
        JobClient client = env.executeAsync(ReplicatorJob.JOB_NAME);
        Thread onSignal = new Thread(() -> stop(client, start));
        Runtime.getRuntime().addShutdownHook(onSignal);
        var result = client.getJobExecutionResult();
        long tick = progressInterval.isZero() ? 1000 : progressInterval.toMillis();
        while (!result.isDone()) {
            if (duration != null && System.nanoTime() - start >= duration.toNanos()) {
                Runtime.getRuntime().removeShutdownHook(onSignal);
                stop(client, start);
                return 0;
            }
            try {
                result.get(tick, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!progressInterval.isZero()) {
                    progress(start);
                }
            }
        }
        result.get(); // the job failed: report why
        return 1;
    }

    private void stop(JobClient client, long start) {
        try {
            client.cancel().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already finished or the cluster is going down with the JVM
        }
        summary(start);
    }

    private static Map<String, Long> counters() {
        SummaryReporter r = SummaryReporter.latest();
        return r == null ? Map.of() : r.snapshot();
    }

    private void progress(long start) {
        Map<String, Long> c = counters();
        double secs = (System.nanoTime() - start) / 1e9;
        long in = c.getOrDefault("listen.udp_datagrams", 0L) + c.getOrDefault("listen.tcp_syslog_messages", 0L);
        log.printf("progress: %.0fs received=%d matched=%d sent=%d errors=%d drops=%d%n", secs, in,
                c.getOrDefault("forward.matched", 0L), sum(c, ".sent"), sum(c, ".errors"), sum(c, ".drops"));
    }

    private void summary(long start) {
        Map<String, Long> c = counters();
        log.printf("summary: ran %.1fs%n", (System.nanoTime() - start) / 1e9);
        for (Map.Entry<String, Long> e : c.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("replicate.") || k.startsWith("forward.") || k.startsWith("listen.")) {
                log.printf("  %-60s %d%n", k, e.getValue());
            }
        }
        log.flush();
    }

    private static long sum(Map<String, Long> c, String suffix) {
        return c.entrySet().stream()
                .filter(e -> e.getKey().startsWith("replicate.") && e.getKey().endsWith(suffix))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
