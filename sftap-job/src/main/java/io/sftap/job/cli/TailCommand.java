package io.sftap.job.cli;

import io.sftap.analyzer.sdk.Format;
import io.sftap.analyzer.tail.TailPrinter;
import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.classify.RulesException;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sftap tail IF}: attaches to an abstract interface and prints its events readably. */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Attach to an abstract interface and print its events like tcpdump: one line per event "
                    + "(time, event, endpoints, match, length, reason) and a hex/text preview of DATA.",
            "IF is an interface name (all its balance slots) or a socket path under home, e.g. http or tcp/http0."
        })
final class TailCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IF", description = "Interface to follow.")
    String iface;

    @Option(names = "--home", paramLabel = "DIR",
            description = "Socket home (default: global.home of the rules file).")
    Path home;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Rules file the job runs with, to know the interface's format (default: built-in rules).")
    Path config;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Wire format, text or binary (default: what the rules file says for IF).")
    Format format;

    @Option(names = "--preview", paramLabel = "BYTES", defaultValue = "64",
            description = "DATA bytes shown per event (default: ${DEFAULT-VALUE}).")
    int preview;

    @Option(names = "--once", description = "Exit when the sockets close instead of waiting for sftap to come back.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        SftapConfig rules;
        try {
            rules = config == null ? RulesFile.defaults() : RulesFile.load(config);
        } catch (RulesException e) {
            System.err.println("sftap: " + e.getMessage());
            return 2;
        }
        Path dir = home != null ? home : Path.of(rules.global.home);
        if (!Files.isDirectory(dir)) {
            System.err.println("sftap: no socket home at " + dir + " (is sftap running? give --home)");
            return 2;
        }
        Format f = format != null ? format : formatOf(rules, iface);
        TailPrinter.run(dir, iface, f, preview, System.out, once);
        return 0;
    }

    private static Format formatOf(SftapConfig rules, String iface) {
        String name = iface.contains("/") ? iface.substring(iface.indexOf('/') + 1) : iface;
        for (InterfaceSpec spec : rules.rules.interfaces()) {
            if (spec.name.equals(name) || spec.socketPaths().contains(iface)
                    || name.matches(java.util.regex.Pattern.quote(spec.name) + "[0-9]+")) {
                return spec.binary ? Format.BINARY : Format.TEXT;
            }
        }
        return Format.TEXT;
    }
}
