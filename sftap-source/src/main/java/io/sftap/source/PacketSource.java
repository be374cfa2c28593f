package io.sftap.source;

import io.sftap.source.enumerator.CaptureEnumState;
import io.sftap.source.enumerator.CaptureEnumStateSerializer;
import io.sftap.source.enumerator.CaptureEnumerator;
import io.sftap.source.reader.PacketSourceReader;
import io.sftap.source.split.CaptureSplit;
import io.sftap.source.split.CaptureSplitSerializer;
import io.sftap.source.wire.Packet;
import io.sftap.source.live.LiveCaptureOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The capture source: decoded {@link Packet}s from pcap/pcapng files (each file one split), live
 * network interfaces (each interface one split, captured through libpcap) and the optional pcap
 * injection socket, with the packet's capture time (milliseconds) as the record timestamp. Bounded
 * when it reads files only; unbounded as soon as an interface or the injection socket is given.
 *
 * <p>Frames that do not decode are counted (metric group {@code sftap}, see {@code
 * CaptureSourceMetrics}) and skipped. The job chooses the watermarks:
 *
 * <pre>{@code
 * PacketSource source = PacketSource.builder().setFiles(List.of(Path.of("trace.pcapng"))).build();
 * DataStream<Packet> packets = env.fromSource(source,
 *         WatermarkStrategy.<Packet>forBoundedOutOfOrderness(Duration.ofSeconds(1)), "capture");
 *
 * PacketSource live = PacketSource.builder()
 *         .setInterfaces(List.of("eth1", "eth2"))
 *         .setCaptureOptions(LiveCaptureOptions.defaults().withFilter("tcp or udp"))
 *         .setInjectionSocket(Path.of("/tmp/sf-tap/pcap"))
 *         .build();
 * }</pre>
 *
 * <p>Live splits are spread over the source subtasks (the i-th to subtask {@code i % parallelism});
 * with watermarks, give the strategy {@code withIdleness} so a quiet interface does not hold time
 * back.
 */
@PublicEvolving
public final class PacketSource
        implements Source<Packet, CaptureSplit, CaptureEnumState>, ResultTypeQueryable<Packet> {
    private static final long serialVersionUID = 1L;

    private final List<String> files;
    /** Interface names in the order given, each with its capture options. */
    private final LinkedHashMap<String, LiveCaptureOptions> interfaces;
    /** Path of the pcap injection socket, or null for none. */
    @Nullable private final String injectionSocket;
    private final int framesPerBatch;

    PacketSource(List<String> files, int framesPerBatch) {
        this(files, new LinkedHashMap<>(), null, framesPerBatch);
    }

    PacketSource(List<String> files, LinkedHashMap<String, LiveCaptureOptions> interfaces,
            @Nullable String injectionSocket, int framesPerBatch) {
        this.files = List.copyOf(files);
        this.interfaces = new LinkedHashMap<>(interfaces);
        this.injectionSocket = injectionSocket;
        this.framesPerBatch = framesPerBatch;
    }

    public static PacketSourceBuilder builder() {
        return new PacketSourceBuilder();
    }

    @Override
    public Boundedness getBoundedness() {
        return isLive() ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Packet, CaptureSplit> createReader(SourceReaderContext context) {
        return new PacketSourceReader(context, framesPerBatch);
    }

    @Override
    public SplitEnumerator<CaptureSplit, CaptureEnumState> createEnumerator(
            SplitEnumeratorContext<CaptureSplit> context) {
        return new CaptureEnumerator(context, initialSplits());
    }

    @Override
    public SplitEnumerator<CaptureSplit, CaptureEnumState> restoreEnumerator(
            SplitEnumeratorContext<CaptureSplit> context, CaptureEnumState state) {
        // Interfaces configured since the checkpoint join; those handed out live on in reader state.
        List<CaptureSplit> pending = new ArrayList<>(state.pendingSplits());
        Set<String> known = new HashSet<>(state.assignedLiveSplitIds());
        pending.forEach(split -> known.add(split.splitId()));
        for (CaptureSplit split : liveSplits()) {
            if (!known.contains(split.splitId())) {
                pending.add(split);
            }
        }
        return new CaptureEnumerator(context, pending, state.assignedLiveSplitIds());
    }

    @Override
    public SimpleVersionedSerializer<CaptureSplit> getSplitSerializer() {
        return new CaptureSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<CaptureEnumState> getEnumeratorCheckpointSerializer() {
        return new CaptureEnumStateSerializer();
    }

    @Override
    public TypeInformation<Packet> getProducedType() {
        return TypeInformation.of(Packet.class);
    }

    /**
     * One split per file, with ids {@code file-0}, {@code file-1}, ... in the order given, then one
     * per interface ({@code iface-<name>}) and the injection socket's ({@code inject}).
     */
    List<CaptureSplit> initialSplits() {
        List<CaptureSplit> splits = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            splits.add(CaptureSplit.file("file-" + i, Path.of(files.get(i))));
        }
        splits.addAll(liveSplits());
        return splits;
    }

    private List<CaptureSplit> liveSplits() {
        List<CaptureSplit> splits = new ArrayList<>();
        interfaces.forEach((name, options) -> splits.add(CaptureSplit.liveInterface(name, options)));
        if (injectionSocket != null) {
            splits.add(CaptureSplit.injection(Path.of(injectionSocket)));
        }
        return splits;
    }

    /** True when the source captures interfaces or serves the injection socket (unbounded). */
    public boolean isLive() {
        return !interfaces.isEmpty() || injectionSocket != null;
    }

    /** The interfaces this source captures, in the order given, with their capture options. */
    public Map<String, LiveCaptureOptions> interfaces() {
        return Collections.unmodifiableMap(interfaces);
    }

    /** The pcap injection socket's path, if any. */
    public Optional<String> injectionSocket() {
        return Optional.ofNullable(injectionSocket);
    }

    /** The files this source reads (absolute paths). */
    public List<String> files() {
        return files;
    }

    public int framesPerBatch() {
        return framesPerBatch;
    }
}
