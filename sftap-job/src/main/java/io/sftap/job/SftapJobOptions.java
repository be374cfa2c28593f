package io.sftap.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options of a sftap job, shared by {@code sftap run} (embedded) and {@code flink run
 * sftap-job.jar} (cluster). A picocli mixin.
 */
public class SftapJobOptions {
    /** Where the state backend keeps keyed state. */
    public enum StateBackend {
        rocksdb,
        heap
    }

    /** How events reach the analyzers across failures. */
    public enum Delivery {
        /** Events flow at once; after a restore, events since the last checkpoint come again. */
        at_least_once,
        /** Events are held until the checkpoint covering them completes; no duplicates after a restore. */
        exactly_once
    }

    @Option(names = "--pcap", paramLabel = "FILE", arity = "1..*",
            description = "Capture file(s) to replay, pcap or pcapng (repeatable).")
    public List<Path> pcaps = new ArrayList<>();

    @Option(names = {"-i", "--iface"}, paramLabel = "IF",
            description = "Network interface to capture from, live (repeatable; needs root or CAP_NET_RAW).")
    public List<String> ifaces = new ArrayList<>();

    @Option(names = "--filter", paramLabel = "BPF",
            description = "BPF capture filter for live interfaces, tcpdump syntax (e.g. 'tcp or udp').")
    public String filter;

    @Option(names = "--snaplen", paramLabel = "BYTES", defaultValue = "262144",
            description = "Bytes captured per frame on live interfaces; longer frames count as truncated (default: ${DEFAULT-VALUE}).")
    public int snaplen = 262144;

    @Option(names = "--inject",
            description = "Serve the 'pcap' socket under home: pcap streams written to it are processed as if "
                    + "captured. The job then runs until stopped.")
    public boolean inject;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Rules file (SF-TAP fabs.yaml format plus sftap extensions). Default: sftap's built-in rules.")
    public Path config;

    @Option(names = "--home", paramLabel = "DIR",
            description = "Directory of the interface sockets; overrides global.home of the rules file.")
    public Path home;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "Unix group given access to the sockets; overrides global.group.")
    public String group;

    @Option(names = {"-p", "--parallelism"}, paramLabel = "N",
            description = "Parallelism of the job (default: every core in embedded mode, one flow-abstractor instance each, "
                    + "docs/performance.md section 19; the cluster's default otherwise).")
    public Integer parallelism;

    @Option(names = "--flow-cache", paramLabel = "FLOWS", defaultValue = "16384",
            description = "Flows per flow-abstractor instance kept decoded in front of the state backend, "
                    + "so their packets skip the state read and write and flows that end there need no timer "
                    + "(0: off; default ${DEFAULT-VALUE}).")
    public int flowCache = io.sftap.job.flow.FlowStateCache.DEFAULT_CAPACITY;

    @Option(names = "--state-cache-memory", paramLabel = "SIZE", defaultValue = "auto",
            converter = MemoryConverter.class,
            description = "Heap per flow-abstractor instance for the encoded states of flows the flow cache does not hold, "
                    + "in front of the state backend: a flow found there needs no state backend read or write, "
                    + "nor an idle timer until its deadline comes, and checkpoints copy its latest state as raw keyed state; "
                    + "an open TCP flow takes about 150 to 170 bytes there, more while it buffers payload "
                    + "(auto: half of the JVM heap, a quarter with heap state, shared by the instances one process may hold: "
                    + "its TaskManager's slots, at most the parallelism; 0: off; sizes as 256m, 2g; "
                    + "default ${DEFAULT-VALUE}).")
    public long stateCacheMemory = io.sftap.job.flow.FlowAbstractorFunction.AUTO_ENCODED_CACHE;

    @Option(names = "--state", paramLabel = "BACKEND", defaultValue = "rocksdb",
            description = "State backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public StateBackend state = StateBackend.rocksdb;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Checkpoint directory (embedded default: a folder the job owns under the system temp dir).")
    public Path checkpointDir;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "PT10S",
            converter = DurationConverter.class,
            description = "Checkpoint interval, ISO-8601 or e.g. 10s, 500ms; 0 disables (default: 10s).")
    public Duration checkpointInterval = Duration.ofSeconds(10);

    @Option(names = "--wait-analyzers", paramLabel = "TIMEOUT", arity = "0..1", fallbackValue = "PT60S",
            converter = DurationConverter.class,
            description = "Before the first event, wait until every interface socket has an analyzer connected, "
                    + "at most TIMEOUT (default when given without a value: 60s), so a replay loses nothing to late analyzers.")
    public Duration waitAnalyzers;

    @Option(names = "--connection-buffer", paramLabel = "BYTES", defaultValue = "4194304",
            description = "Bytes buffered per analyzer connection before events for it are dropped (default: ${DEFAULT-VALUE}).")
    public int connectionBufferBytes = 4 << 20;

    @Option(names = "--no-loopback",
            description = "Do not serve the L7 loopback socket (by default it is served when the rules file has a loopback7 section).")
    public boolean noLoopback;

    @Option(names = "--watch-rules",
            description = "Live rules: watch the rules file (-c) for changes and accept pushes on the control socket "
                    + "<home>/control (sftap rules push). With --pcap the job ends when the replay ends.")
    public boolean watchRules;

    @Option(names = "--replay-rate", paramLabel = "PPS",
            description = "Replay capture files at most at this many packets per second (all files together); "
                    + "default: as fast as possible.")
    public Double replayRate;

    @Option(names = "--delivery", paramLabel = "MODE", defaultValue = "at-least-once",
            converter = DeliveryConverter.class,
            description = "at-least-once (default; after a failure, events since the last checkpoint are delivered again) "
                    + "or exactly-once (events released when their checkpoint completes; costs about one checkpoint "
                    + "interval of latency).")
    public Delivery delivery = Delivery.at_least_once;

    /** Picocli converter for {@link Delivery}: {@code at-least-once}, {@code exactly-once}. */
    public static final class DeliveryConverter implements picocli.CommandLine.ITypeConverter<Delivery> {
        @Override
        public Delivery convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
            try {
                return Delivery.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "unknown delivery '" + value + "' (at-least-once or exactly-once)");
            }
        }
    }

    /** Picocli converter accepting ISO-8601 durations and short forms like {@code 10s}, {@code 500ms}. */
    /** Reads "auto" or a Flink memory size (512m, 2g, 0) as bytes; auto is {@code AUTO_ENCODED_CACHE}. */
    public static final class MemoryConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            if (text.equalsIgnoreCase("auto")) {
                return io.sftap.job.flow.FlowAbstractorFunction.AUTO_ENCODED_CACHE;
            }
            try {
                return org.apache.flink.configuration.MemorySize.parse(text).getBytes();
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "not a size (auto, 0, or a number with a unit as 256m or 2g): " + text);
            }
        }
    }

    public static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    public static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.startsWith("p")) {
            return Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h)?").matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + value + "' (examples: 10s, 500ms, 2m, PT30S)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit) {
            case "ms":
                return Duration.ofMillis(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofSeconds(n);
        }
    }
}
