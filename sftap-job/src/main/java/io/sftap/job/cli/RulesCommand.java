package io.sftap.job.cli;

import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.classify.RulesException;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.rules.RulesControlClient;
import io.sftap.job.rules.RulesControlServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sftap rules}: checks a rules file and lists the sockets it makes. */
@Command(name = "rules", description = "Work with rules files.", subcommands = {RulesCommand.Check.class, RulesCommand.Push.class},
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

    /** {@code sftap rules push FILE [--home DIR]}. */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = {"Validate a rules file, then send it to the running job's control socket (<home>/control); "
                    + "the job broadcasts it as the next rules version. The job must run with --watch-rules.",
                "Exit 0 when the job took it (prints OK v<N>), 2 if the file is invalid, 1 if the job refused it or "
                    + "cannot be reached."})
    static final class Push implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "Rules file to push.")
        Path file;

        @Option(names = "--home", paramLabel = "DIR",
                description = "Socket home of the job (default: global.home of FILE).")
        Path home;

        @Override
        public Integer call() {
            SftapConfig config;
            String text;
            try {
                config = RulesFile.load(file);
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (RulesException e) {
                System.err.println("sftap: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                System.err.println("sftap: cannot read " + file + ": " + e.getMessage());
                return 2;
            }
            Path socket = (home != null ? home : Path.of(config.global.home)).resolve(RulesControlServer.SOCKET_NAME);
            String reply;
            try {
                reply = RulesControlClient.push(socket, text, file.toString());
            } catch (IOException e) {
                System.err.println("sftap: cannot reach the job's control socket " + socket + ": " + e.getMessage()
                        + " (is the job running with --watch-rules? give --home)");
                return 1;
            }
            if (reply.startsWith("OK")) {
                System.out.println(reply);
                return 0;
            }
            System.err.println("sftap: " + reply);
            return 1;
        }
    }
}
