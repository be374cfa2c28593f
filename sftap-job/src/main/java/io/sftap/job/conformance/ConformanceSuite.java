package io.sftap.job.conformance;

import io.sftap.job.SftapJob;
import io.sftap.job.SftapJobOptions;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.embedded.EmbeddedRunner;
import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.source.PacketSource;
import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.IpProtocols;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The conformance suite: runs the real job (embedded Flink, RocksDB state, default rules) over
 * every capture of the external corpus and measures TCP reassembly against tshark and
 * classification against the nDPI-derived labels. Fails when a figure falls below the recorded
 * baseline.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Measure reassembly and classification on the external corpus; exit 1 on regression.")
public final class ConformanceSuite implements Callable<Integer> {
    @Parameters(paramLabel = "CORPUS", description = "The corpus folder (with pcaps/MANIFEST.tsv, reassembly/, labels.tsv).")
    Path corpus;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/conformance",
            description = "Where the report and predictions go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "Recorded figures to hold (properties: reassembly_exact, accuracy, macro_f1).")
    Path baseline;

    @Option(names = "--state", defaultValue = "rocksdb", description = "State backend: rocksdb or heap.")
    SftapJobOptions.StateBackend state;

    @Option(names = "--only", paramLabel = "TEXT", description = "Only captures whose path contains TEXT (for debugging).")
    String only;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConformanceSuite()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path manifest = corpus.resolve("pcaps/MANIFEST.tsv");
        if (!Files.exists(manifest)) {
            System.err.println("conformance: no corpus at " + corpus + " (missing pcaps/MANIFEST.tsv)");
            return 2;
        }
        Files.createDirectories(out);
        SftapConfig config = RulesFile.defaults();
        RulesUpdate rules = new RulesUpdate(1, config.sourceText, config.sourceName);
        int total = 0;
        int exact = 0;
        List<String> mismatchLines = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        try (PrintWriter pred = new PrintWriter(Files.newBufferedWriter(out.resolve("predictions.tsv")))) {
            pred.println("pcap\tl4\tip_a\tport_a\tip_b\tport_b\tclass");
            for (String line : Files.readAllLines(manifest).subList(1, Files.readAllLines(manifest).size())) {
                String file = line.split("\t")[0];
                if (only != null && !file.contains(only)) {
                    continue;
                }
                Path pcap = corpus.resolve("pcaps").resolve(file);
                FlowTranscript transcript;
                try {
                    transcript = replay(pcap, config, rules);
                } catch (Exception e) {
                    failures.add(file + ": " + rootMessage(e));
                    System.err.println("conformance: " + file + " FAILED: " + rootMessage(e));
                    continue;
                }
                for (FlowTranscript.Flow f : transcript.flows()) {
                    pred.println(String.join("\t", Path.of(file).getFileName().toString(), l4Label(f.key.protocol),
                            labelAddress(f.key.addr1), Integer.toString(f.key.port1),
                            labelAddress(f.key.addr2), Integer.toString(f.key.port2),
                            labelOf(f.iface(), f.key.protocol)));
                }
                Path truth = truthDir(file);
                if (Files.isDirectory(truth)) {
                    ReassemblyCheck.Result r = ReassemblyCheck.check(truth, transcript.tcpDirections());
                    total += r.total;
                    exact += r.exact;
                    for (ReassemblyCheck.Mismatch m : r.mismatches) {
                        mismatchLines.add(file + "\t" + m);
                    }
                    System.err.printf("conformance: %-90s reassembly %d/%d%n", file, r.exact, r.total);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String accuracyReport = runAccuracy(out.resolve("predictions.tsv"));
        double accuracy = figure(accuracyReport, "accuracy: ([0-9.]+)");
        double macroF1 = figure(accuracyReport, "macro-F1[^:]*: ([0-9.]+)");
        double exactShare = total == 0 ? 0 : (double) exact / total;

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "reassembly: %d / %d TCP directions byte-exact (%.1f%%)%n",
                exact, total, 100 * exactShare));
        report.append(String.format(Locale.ROOT, "classification: accuracy %.3f, macro-F1 %.3f%n", accuracy, macroF1));
        report.append(String.format(Locale.ROOT, "time: %.0f s for the corpus (state backend %s)%n", seconds, state));
        report.append("\nreassembly mismatches:\n");
        mismatchLines.forEach(m -> report.append("  ").append(m).append('\n'));
        report.append("\ncaptures that failed:\n");
        failures.forEach(f -> report.append("  ").append(f).append('\n'));
        report.append("\n").append(accuracyReport);
        Files.writeString(out.resolve("report.txt"), report);
        System.out.println(report);

        return checkBaseline(exact, accuracy, macroF1, failures) ? 0 : 1;
    }

    private FlowTranscript replay(Path pcap, SftapConfig config, RulesUpdate rules) throws Exception {
        SftapJobOptions options = new SftapJobOptions();
        options.state = state;
        options.checkpointInterval = java.time.Duration.ZERO;
        Configuration conf = EmbeddedRunner.configuration(options);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        SftapJob job = new SftapJob(PacketSource.builder().setFiles(List.of(pcap)).build(), null, rules, config);
        FlowTranscript transcript = new FlowTranscript();
        try (CloseableIterator<FlowEvent> events = job.events(env).executeAndCollect("conformance " + pcap.getFileName())) {
            events.forEachRemaining(transcript::add);
        }
        return transcript;
    }

    private Path truthDir(String file) {
        Path rel = Path.of(file);
        String name = rel.getFileName().toString().replaceFirst("\\.(pcapng|pcap|cap)$", "");
        return corpus.resolve("reassembly").resolve(rel.getParent()).resolve(name).resolve("tshark");
    }

    private String runAccuracy(Path predictions) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", corpus.resolve("tools/accuracy.py").toString(),
                corpus.resolve("labels.tsv").toString(), predictions.toString())
                .redirectErrorStream(true)
                .start();
        String text;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            text = r.lines().reduce("", (a, b) -> a + b + "\n");
        }
        if (p.waitFor() != 0) {
            throw new IOException("accuracy.py failed:\n" + text);
        }
        return text;
    }

    private boolean checkBaseline(int exact, double accuracy, double macroF1, List<String> failures) throws IOException {
        boolean ok = failures.isEmpty();
        if (!failures.isEmpty()) {
            System.out.println("REGRESSION: " + failures.size() + " capture(s) failed to run");
        }
        if (baseline == null) {
            return ok;
        }
        Properties b = new Properties();
        try (var in = Files.newBufferedReader(baseline)) {
            b.load(in);
        }
        int wantExact = Integer.parseInt(b.getProperty("reassembly_exact", "0"));
        double wantAccuracy = Double.parseDouble(b.getProperty("accuracy", "0"));
        double wantF1 = Double.parseDouble(b.getProperty("macro_f1", "0"));
        if (exact < wantExact) {
            System.out.println("REGRESSION: reassembly " + exact + " exact directions < recorded " + wantExact);
            ok = false;
        }
        if (accuracy + 1e-9 < wantAccuracy) {
            System.out.println("REGRESSION: accuracy " + accuracy + " < recorded " + wantAccuracy);
            ok = false;
        }
        if (macroF1 + 1e-9 < wantF1) {
            System.out.println("REGRESSION: macro-F1 " + macroF1 + " < recorded " + wantF1);
            ok = false;
        }
        System.out.println(ok ? "conformance: OK (baseline " + baseline + " held)" : "conformance: FAILED");
        return ok;
    }

    private static double figure(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /**
     * An address as the labels file writes it: nDPI's IPv6 text compresses even a single zero
     * group with "::" (RFC 5952, which sftap's sockets follow, does not), and the scorer joins on
     * the text.
     */
    static String labelAddress(byte[] addr) {
        if (addr.length != 16) {
            return Addresses.format(addr);
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        String text = Addresses.format(addr);
        if (bestLen != 1) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                continue;
            }
            sb.append(Integer.toHexString(w[i]));
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    static String l4Label(byte protocol) {
        switch (protocol) {
            case IpProtocols.TCP:
                return "TCP";
            case IpProtocols.UDP:
                return "UDP";
            case IpProtocols.ICMP:
                return "ICMP";
            case IpProtocols.ICMPV6:
                return "ICMPV6";
            default:
                return Integer.toString(protocol & 0xff);
        }
    }

    /** Maps an interface name to the corpus label set (SF-TAP's example interface names). */
    static String labelOf(String iface, byte protocol) {
        switch (iface) {
            case "http":
            case "http_proxy":
            case "ssl":
            case "ssh":
            case "smtp":
            case "pop":
            case "ftp":
            case "irc":
            case "dns_udp":
            case "dns_tcp":
            case "bt_dht":
            case "bt_peer":
                return iface;
            case "dns":
                return protocol == IpProtocols.TCP ? "dns_tcp" : "dns_udp";
            case "torrent_dht":
                return "bt_dht";
            default:
                return "other";
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
