package io.sftap.job;

import io.sftap.job.classify.InterfaceSpec;
import io.sftap.job.classify.RulesException;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.loopback.LoopbackSource;
import io.sftap.job.loopback.LoopbackSourceBuilder;
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
import io.sftap.sinks.replicate.ReplicationSink;
import io.sftap.sinks.replicate.ReplicatorSettings;
import io.sftap.sinks.UnixSocketSinkBuilder;
import io.sftap.source.PacketSource;
import io.sftap.source.PacketSourceBuilder;
import io.sftap.source.live.LiveCaptureChecks;
import io.sftap.source.pcap.CaptureFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Turns {@link SftapJobOptions} into a ready {@link SftapJob} with the real source and sink. */
public final class SftapJobFactory {
    private final SftapJobOptions options;
    private SftapConfig config;
    private String rulesText;
    private Path home;
    /** Whether the job runs in this one process ({@link #inOneProcess}). */
    private boolean oneProcess;

    public SftapJobFactory(SftapJobOptions options) {
        this.options = options;
    }

    /** Loads and checks everything a user can get wrong, with one clear message per problem. */
    public SftapJobFactory validate() throws UsageException {
        loadRules();
        if (options.pcaps.isEmpty() && options.ifaces.isEmpty() && !options.inject) {
            throw new UsageException("nothing to capture: give --pcap FILE (a pcap or pcapng capture), "
                    + "--iface IF (live) or --inject");
        }
        for (String iface : options.ifaces) {
            try {
                LiveCaptureChecks.check(iface);
            } catch (LiveCaptureChecks.LiveCaptureException e) {
                throw new UsageException(e.getMessage());
            }
        }
        for (Path p : options.pcaps) {
            if (!Files.exists(p)) {
                throw new UsageException("capture file not found: " + p);
            }
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new UsageException("capture file is not a readable file: " + p);
            }
            try {
                CaptureFiles.detect(p);
            } catch (IOException e) {
                throw new UsageException(e.getMessage());
            }
        }
        home = options.home != null ? options.home : Path.of(config.global.home);
        checkHome(home);
        if (options.stateCacheMemory < 0 && options.stateCacheMemory != io.sftap.job.flow.FlowAbstractorFunction.AUTO_ENCODED_CACHE) {
            throw new UsageException("--state-cache-memory must be auto, 0 (off) or a size, got " + options.stateCacheMemory);
        }
        if (options.flowCache < 0) {
            throw new UsageException("--flow-cache must be 0 (off) or a number of flows, got " + options.flowCache);
        }
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
            if (!Files.exists(home)) {
                // The sockets carry other people's traffic: group access only, like the sink's folders.
                Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
            }
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

    /**
     * Builds the job for one process (an embedded MiniCluster): every subtask of the sink serves
     * every socket through one shared server, so the sink runs chained to the flow abstractor at
     * any parallelism. Not for a cluster, whose subtasks may sit in several processes.
     */
    public SftapJobFactory inOneProcess() {
        this.oneProcess = true;
        return this;
    }

    public SftapJob create() {
        PacketSourceBuilder builder = PacketSource.builder().setInterfaces(options.ifaces).setSnaplen(options.snaplen);
        if (!options.pcaps.isEmpty()) {
            builder.setFiles(options.pcaps);
        }
        if (options.filter != null) {
            builder.setFilter(options.filter);
        }
        if (options.inject) {
            builder.setInjectionSocket(home.resolve(config.pcap != null ? config.pcap.name : "pcap"));
        }
        PacketSource capture = builder.build();
        boolean liveRules = liveRules();
        Source<Packet, ?, ?> packets = capture;
        if (options.replayRate != null || liveRules) {
            // A live rules source ends only when every capture reader reported its end.
            packets = new ReplaySource(capture, options.replayRate == null ? 0 : options.replayRate,
                    liveRules ? controlSocket() : null);
        }
        RulesUpdate rules = new RulesUpdate(1, rulesText, config.sourceName);
        RulesSource rulesSource = liveRules
                ? RulesSource.live(rules, options.watchRules ? options.config : null, controlSocket())
                : RulesSource.fixed(rules);
        SftapJob job = new SftapJob(packets, sink(), rules, config).withRulesSource(rulesSource).withFlowCache(options.flowCache)
                .withStateCacheMemory(options.stateCacheMemory);
        Path loopback = loopbackSocket();
        if (loopback != null) {
            // A replay: the loopback ends once the capture ended and analyzers fell quiet.
            job.withLoopback(LoopbackSource.builder()
                    .setSocket(loopback)
                    .setBinary(config.loopback7.binary)
                    .setGroup(socketGroup())
                    .setEndAfterCapture(LoopbackSourceBuilder.DEFAULT_LINGER)
                    .build());
        }
        if (!config.forwards.isEmpty()) {
            // Captured datagrams matching `forward:` rules are also copied to their collectors.
            job.withReplication(new ReplicationSink(ReplicatorSettings.defaults()));
        }
        return job;
    }

    /** The L7 loopback socket the job serves, or null (no {@code loopback7} section, or {@code --no-loopback}). */
    public Path loopbackSocket() {
        return config.loopback7 == null || options.noLoopback ? null : home.resolve(config.loopback7.socketPath());
    }

    /** Whether the job takes rule changes while it runs (--watch-rules, or a live capture). */
    public boolean liveRules() {
        return options.watchRules || !options.ifaces.isEmpty() || options.inject;
    }

    /** The UNIX group of every socket the job serves: {@code --group}, else {@code global.group}. */
    private String socketGroup() {
        return options.group != null ? options.group : config.global.group;
    }

    private Sink<FlowEvent> sink() {
        String group = socketGroup();
        if (options.delivery == SftapJobOptions.Delivery.exactly_once) {
            return new ExactlyOnceInterfaceSink(home, sockets(), group, options.connectionBufferBytes,
                    options.waitAnalyzers, UnixSocketSinkOptions.DRAIN_TIMEOUT.defaultValue());
        }
        UnixSocketSinkBuilder sink = UnixSocketSink.builder()
                .setHome(home)
                .setSockets(sockets())
                .setGroup(group)
                .setConnectionBufferBytes(options.connectionBufferBytes)
                .setSharedInProcess(oneProcess);
        if (options.waitAnalyzers != null) {
            sink.setWaitForAnalyzers(options.waitAnalyzers);
        }
        return sink.build();
    }
}
