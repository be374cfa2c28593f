package io.sftap.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sftap} command line: runs the job embedded and manages rules. */
@Command(
        name = "sftap",
        mixinStandardHelpOptions = true,
        versionProvider = SftapCli.Version.class,
        description = "Flexible, scalable L7 traffic analysis on Apache Flink (SF-TAP compatible flow abstractor).",
        subcommands = {RunCommand.class, ReplicateCommand.class, TailCommand.class, RulesCommand.class, CommandLine.HelpCommand.class})
public final class SftapCli {
    public static void main(String[] args) {
        int code = new CommandLine(new SftapCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    /** Reports the build's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SftapCli.class.getPackage().getImplementationVersion();
            return new String[] {"sftap " + (v == null ? "(development build)" : v) + ", Apache Flink 2.3"};
        }
    }
}
