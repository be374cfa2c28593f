package io.sftap.job;

import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.classify.RulesException;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.replay.ReplaySource;
import io.sftap.job.rules.RulesControlServer;
import io.sftap.job.rules.RulesSource;
import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.UnixSocketSinkOptions;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.exactlyonce.ExactlyOnceInterfaceSink;
import io.sftap.source.wire.Packet;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import io.sftap.sinks.UnixSocketSink;
import io.sftap.sinks.UnixSocketSinkBuilder;
import io.sftap.source.PacketSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Turns {@link SftapJobOptions} into a ready {@link SftapJob} with the real source and sink. */
public final class SftapJobFactory {
    private final SftapJobOptions options;
    private SftapConfig config;
    private String rulesText;
    private Path home;

    public SftapJobFactory(SftapJobOptions options) {
        this.options = options;
    }

    /** Loads and checks everything a user can get wrong, with one clear message per problem. */
    public SftapJobFactory validate() throws UsageException {
        loadRules();
        if (options.pcaps.isEmpty()) {
            throw new UsageException("nothing to capture: give --pcap FILE (a pcap or pcapng capture)");
        }
        for (Path p : options.pcaps) {
            if (!Files.exists(p)) {
                throw new UsageException("capture file not found: " + p);
            }
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new UsageException("capture file is not a readable file: " + p);
            }
        }
        home = options.home != null ? options.home : Path.of(config.global.home);
        checkHome(home);
        if (options.replayRate != null && !(options.replayRate > 0)) {
            throw new UsageException("--replay-rate must be a positive number of packets per second, got " + options.replayRate);
        }
        if (options.delivery == SftapJobOptions.Delivery.exactly_once && options.checkpointInterval.isZero()) {
            throw new UsageException("--delivery exactly-once releases events at checkpoints: give a --checkpoint-interval above 0");
        }
        return this;
    }

    private void loadRules() throws UsageException {
        try {
            if (options.config == null) {
                config = RulesFile.defaults();
                rulesText = config.sourceText;
            } else {
                if (!Files.isReadable(options.config)) {
                    throw new UsageException("rules file not found or not readable: " + options.config);
                }
                config = RulesFile.load(options.config);
                rulesText = config.sourceText;
            }
        } catch (RulesException e) {
            throw new UsageException("bad rules file: " + e.getMessage());
        }
    }

    private static void checkHome(Path home) throws UsageException {
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UsageException("cannot create the socket home " + home + ": " + e.getMessage());
        }
        if (!Files.isDirectory(home) || !Files.isWritable(home)) {
            throw new UsageException("socket home is not a writable directory: " + home);
        }
    }

    public SftapConfig config() {
        return config;
    }

    public Path home() {
        return home;
    }

    /** Every socket path (relative to home) the rules define. */
    public List<String> sockets() {
        List<String> out = new ArrayList<>();
        for (InterfaceSpec i : config.rules.interfaces()) {
            out.addAll(i.socketPaths());
        }
        return out;
    }

    /** The rules control socket of the job ({@code <home>/control}). */
    public Path controlSocket() {
        return home.resolve(RulesControlServer.SOCKET_NAME);
    }

    public SftapJob create() {
        PacketSource capture = PacketSource.builder().setFiles(options.pcaps).build();
        Source<Packet, ?, ?> packets = capture;
        if (options.replayRate != null || options.watchRules) {
            packets = new ReplaySource(capture, options.replayRate == null ? 0 : options.replayRate,
                    options.watchRules ? controlSocket() : null);
        }
        RulesUpdate rules = new RulesUpdate(1, rulesText, config.sourceName);
        RulesSource rulesSource = options.watchRules
                ? RulesSource.live(rules, options.config, controlSocket())
                : RulesSource.fixed(rules);
        return new SftapJob(packets, sink(), rules, config).withRulesSource(rulesSource);
    }

    private Sink<FlowEvent> sink() {
        String group = options.group != null ? options.group : config.global.group;
        if (options.delivery == SftapJobOptions.Delivery.exactly_once) {
            return new ExactlyOnceInterfaceSink(home, sockets(), group, options.connectionBufferBytes,
                    options.waitAnalyzers, UnixSocketSinkOptions.DRAIN_TIMEOUT.defaultValue());
        }
        UnixSocketSinkBuilder sink = UnixSocketSink.builder()
                .setHome(home)
                .setSockets(sockets())
                .setGroup(group)
                .setConnectionBufferBytes(options.connectionBufferBytes);
        if (options.waitAnalyzers != null) {
            sink.setWaitForAnalyzers(options.waitAnalyzers);
        }
        return sink.build();
    }
}
