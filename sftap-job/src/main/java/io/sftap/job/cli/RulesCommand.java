package io.sftap.job.cli;

import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.classify.RulesException;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sftap rules}: checks a rules file and lists the sockets it makes. */
@Command(name = "rules", description = "Work with rules files.", subcommands = {RulesCommand.Check.class},
        mixinStandardHelpOptions = true)
final class RulesCommand {

    /** {@code sftap rules check FILE}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Load and validate a rules file; print its interfaces and sockets. Exit 2 if invalid.")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "0..1", description = "Rules file (default: sftap's built-in rules).")
        Path file;

        @Override
        public Integer call() {
            SftapConfig config;
            try {
                config = file == null ? RulesFile.defaults() : RulesFile.load(file);
            } catch (RulesException e) {
                System.err.println("sftap: " + e.getMessage());
                return 2;
            }
            System.out.println(config.sourceName + ": OK");
            System.out.println("home: " + config.global.home);
            for (InterfaceSpec i : config.rules.interfaces()) {
                System.out.println("  " + i.name + " (" + (i.binary ? "binary" : "text") + (i.body ? "" : ", no body")
                        + "): " + String.join(" ", i.socketPaths()));
            }
            return 0;
        }
    }
}
