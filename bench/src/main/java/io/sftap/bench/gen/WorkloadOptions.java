package io.sftap.bench.gen;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Command-line options of {@link WorkloadGenerator}. */
public final class WorkloadOptions {
    @Option(names = "--out", required = true, paramLabel = "PREFIX",
            description = "Writes PREFIX.pcap, PREFIX.flows.tsv and PREFIX.expected.properties.")
    Path out;

    @Option(names = "--flows", defaultValue = "100000", description = "Sessions to write (default ${DEFAULT-VALUE}).")
    long flows;

    @Option(names = "--concurrency", defaultValue = "10000",
            description = "Sessions open at once: sessions are interleaved round-robin (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--bulk-share", defaultValue = "0",
            description = "Share of TCP sessions that are bulk transfers (0..1, default ${DEFAULT-VALUE}).")
    double bulkShare;

    @Option(names = "--bulk-segments", defaultValue = "64",
            description = "Full 1400-byte server segments of a bulk session (default ${DEFAULT-VALUE}).")
    int bulkSegments;

    @Option(names = "--response-bytes", defaultValue = "600",
            description = "Response size of a short session, at most 1400 (default ${DEFAULT-VALUE}).")
    int responseBytes;

    @Option(names = "--mix", defaultValue = "http=40,tls=30,ssh=10,dns=20", split = ",",
            description = "Weights of the application classes (default ${DEFAULT-VALUE}).")
    Map<String, Integer> mix;

    @Option(names = "--ipv6", defaultValue = "0.2", description = "Share of IPv6 sessions (default ${DEFAULT-VALUE}).")
    double ipv6Share;

    @Option(names = "--fragments", defaultValue = "0.1",
            description = "Share of DNS sessions whose response is a fragmented large datagram (default ${DEFAULT-VALUE}).")
    double fragmentShare;

    @Option(names = "--reorder", defaultValue = "0.05",
            description = "Share of TCP sessions with two segments swapped (default ${DEFAULT-VALUE}).")
    double reorderShare;

    @Option(names = "--retransmit", defaultValue = "0.05",
            description = "Share of TCP sessions with the request sent twice (default ${DEFAULT-VALUE}).")
    double retransmitShare;

    @Option(names = "--gap-ns", defaultValue = "1000",
            description = "Capture-time gap between consecutive frames, ns (default ${DEFAULT-VALUE}).")
    long gapNanos;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the per-session choices.")
    long seed;

    @Option(names = "--no-flow-table", description = "Do not write PREFIX.flows.tsv (saves disk for huge runs).")
    boolean noFlowTable;

    /** The class weights, validated. */
    Map<AppClass, Integer> weights() {
        Map<AppClass, Integer> w = new EnumMap<>(AppClass.class);
        mix.forEach((name, weight) -> w.put(AppClass.valueOf(name.toUpperCase()), weight));
        if (w.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
            throw new IllegalArgumentException("--mix needs a positive weight");
        }
        return w;
    }
}
