package io.sftap.job.cli;

import io.sftap.job.SftapJobOptions;
import io.sftap.job.classify.ForwardRule;
import io.sftap.job.classify.RulesException;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.replicate.ForwardDefaults;
import io.sftap.job.replicate.ReplicatorJob;
import io.sftap.job.replicate.ReplicatorRunner;
import io.sftap.job.replicate.listen.ListenEndpoint;
import io.sftap.job.replicate.listen.ListenSource;
import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.replicate.ReplicationSink;
import io.sftap.sinks.replicate.ReplicatorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sftap replicate}: receives monitoring datagrams and copies them to many collectors. */
@Command(name = "replicate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Receive syslog, SNMP traps, NetFlow/IPFIX and sFlow once and copy each datagram to every collector "
                    + "that wants it, keeping the original sender's address (needs root or CAP_NET_RAW) or relaying "
                    + "from ours. Runs until stopped; prints counters per rule and collector at the end.",
            "Examples:",
            "  sftap replicate --to 192.0.2.10 --to 192.0.2.11 --to '[2001:db8::5]'",
            "  sftap replicate -c rules.yaml --listen udp:514 --listen tcp-syslog:514"
        })
final class ReplicateCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Rules file whose `forward:` section says what goes where (see docs/replicator.md).")
    Path config;

    @Option(names = "--to", paramLabel = "COLLECTOR",
            description = "Collector for the built-in protocols (instead of -c): ADDR, ADDR:PORT or [V6]:PORT, "
                    + "optionally /relay (default /preserve). Repeatable.")
    List<String> to = new ArrayList<>();

    @Option(names = "--protocols", paramLabel = "LIST", split = ",",
            defaultValue = "syslog,snmp-trap,netflow,ipfix,sflow",
            description = "Protocols --to forwards (default: ${DEFAULT-VALUE}).")
    List<String> protocols;

    @Option(names = "--listen", paramLabel = "ENDPOINT",
            description = "Socket to receive on: udp:[ADDR:]PORT or tcp-syslog:[ADDR:]PORT (repeatable). "
                    + "Default: UDP on every port the forwarding rules name, all addresses, IPv4 and IPv6.")
    List<String> listen = new ArrayList<>();

    @Option(names = "--syslog-tcp", paramLabel = "PORT", arity = "0..1", fallbackValue = "514",
            description = "Also accept syslog over TCP (RFC 6587, framing detected per connection) on PORT (default 514).")
    Integer syslogTcp;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "16384",
            description = "Copies queued per collector before new ones are dropped and counted (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = {"-p", "--parallelism"}, paramLabel = "N", defaultValue = "1",
            description = "Parallelism (default: ${DEFAULT-VALUE}; each endpoint is served by one subtask).")
    int parallelism;

    @Option(names = "--duration", paramLabel = "DURATION", converter = SftapJobOptions.DurationConverter.class,
            description = "Stop after this long (default: run until stopped).")
    Duration duration;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = SftapJobOptions.DurationConverter.class,
            description = "How often to print a progress line; 0 for none (default: ${DEFAULT-VALUE}).")
    Duration progressInterval;

    @Override
    public Integer call() throws Exception {
        SftapConfig rules;
        List<ListenEndpoint> endpoints;
        try {
            rules = rules();
            endpoints = endpoints(rules);
        } catch (IllegalArgumentException | RulesException | IOException e) {
            System.err.println("sftap: " + e.getMessage());
            return 2;
        }
        System.err.println("sftap: listening on " + endpoints);
        for (ForwardRule r : rules.forwards) {
            System.err.println("sftap: " + r);
        }
        ReplicatorJob job = new ReplicatorJob(new ListenSource(endpoints),
                new ReplicationSink(new ReplicatorSettings(queue, Duration.ofMinutes(5), 4 << 20)),
                new RulesUpdate(1, rules.sourceText, rules.sourceName));
        return new ReplicatorRunner(parallelism, progressInterval, duration, System.err).run(job);
    }

    private SftapConfig rules() throws RulesException, IOException {
        if (config != null && !to.isEmpty()) {
            throw new IllegalArgumentException("give either -c FILE or --to COLLECTOR, not both");
        }
        SftapConfig c;
        if (config != null) {
            if (!Files.isReadable(config)) {
                throw new IllegalArgumentException("rules file not found or not readable: " + config);
            }
            c = RulesFile.load(config);
        } else if (!to.isEmpty()) {
            c = RulesFile.parse(ForwardDefaults.rulesText(protocols, to), "--to");
        } else {
            throw new IllegalArgumentException("nothing to forward: give -c FILE (with a forward: section) or --to COLLECTOR");
        }
        if (c.forwards.isEmpty()) {
            throw new IllegalArgumentException(c.sourceName + " has no forward: rules");
        }
        return c;
    }

    private List<ListenEndpoint> endpoints(SftapConfig rules) {
        Set<ListenEndpoint> out = new LinkedHashSet<>();
        for (String l : listen) {
            out.add(ListenEndpoint.parse(l));
        }
        if (listen.isEmpty()) {
            for (ForwardRule r : rules.forwards) {
                List<Integer> ports = ForwardDefaults.listenPorts(r.ports.isAny() ? null : r.ports.toString());
                if (ports.isEmpty()) {
                    throw new IllegalArgumentException("rule " + r.name + " forwards any port: say where to listen with --listen");
                }
                for (int p : ports) {
                    out.add(new ListenEndpoint(ListenEndpoint.Kind.UDP, "::", p));
                }
            }
        }
        if (syslogTcp != null) {
            out.add(new ListenEndpoint(ListenEndpoint.Kind.SYSLOG_TCP, "::", syslogTcp));
        }
        return new ArrayList<>(out);
    }
}
