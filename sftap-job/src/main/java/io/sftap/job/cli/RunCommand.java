package io.sftap.job.cli;

import io.sftap.job.SftapJob;
import io.sftap.job.SftapJobFactory;
import io.sftap.job.SftapJobOptions;
import io.sftap.job.UsageException;
import io.sftap.job.embedded.EmbeddedRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sftap run}: runs the job on an embedded Flink MiniCluster. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run the flow abstractor on an embedded Flink (local MiniCluster): replay capture files, "
                    + "serve the abstract interfaces as UNIX sockets under the home directory, print progress "
                    + "and a final summary (packets, bytes, flows, events per interface, drops per reason).",
            "Example: sftap run --pcap capture.pcap --home /tmp/sf-tap --wait-analyzers=30s"
        })
final class RunCommand implements Callable<Integer> {
    @Mixin
    SftapJobOptions options;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "5s",
            converter = SftapJobOptions.DurationConverter.class,
            description = "How often to print a progress line; 0 for none (default: ${DEFAULT-VALUE}).")
    java.time.Duration progressInterval;

    @Override
    public Integer call() throws Exception {
        SftapJob job;
        SftapJobFactory factory = new SftapJobFactory(options);
        try {
            job = factory.validate().create();
        } catch (UsageException e) {
            System.err.println("sftap: " + e.getMessage());
            return 2;
        }
        System.err.println("sftap: sockets under " + factory.home() + ": " + String.join(" ", factory.sockets()));
        return new EmbeddedRunner(options, progressInterval).run(job);
    }
}
