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
            "Example: sftap run --pcap capture.pcap --home /tmp/sf-tap --wait-analyzers=30s --watch-rules -c fabs.yaml --web-ui"
        })
final class RunCommand implements Callable<Integer> {
    @Mixin
    SftapJobOptions options;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "5s",
            converter = SftapJobOptions.DurationConverter.class,
            description = "How often to print a progress line; 0 for none (default: ${DEFAULT-VALUE}).")
    java.time.Duration progressInterval;

    @Option(names = "--web-ui", paramLabel = "PORT", arity = "0..1", fallbackValue = "8081",
            description = "Serve the Flink web UI and REST API on localhost:PORT while the job runs (default port: 8081).")
    Integer webUiPort;

    @Override
    public Integer call() throws Exception {
        SftapJob job;
        SftapJobFactory factory = new SftapJobFactory(options);
        try {
            job = factory.validate().inOneProcess().create();
        } catch (UsageException e) {
            System.err.println("sftap: " + e.getMessage());
            return 2;
        }
        System.err.println("sftap: sockets under " + factory.home() + ": " + String.join(" ", factory.sockets()));
        if (options.watchRules) {
            System.err.println("sftap: rules are live: edit " + (options.config != null ? options.config : "(no file)")
                    + " or push with 'sftap rules push FILE --home " + factory.home() + "'");
        }
        EmbeddedRunner runner = new EmbeddedRunner(options, progressInterval);
        if (webUiPort != null) {
            runner.withWebUi(webUiPort);
        }
        return runner.run(job);
    }
}
