package io.sftap.source;

import io.sftap.source.enumerator.CaptureEnumState;
import io.sftap.source.enumerator.CaptureEnumStateSerializer;
import io.sftap.source.enumerator.CaptureEnumerator;
import io.sftap.source.reader.PacketSourceReader;
import io.sftap.source.split.CaptureSplit;
import io.sftap.source.split.CaptureSplitSerializer;
import io.sftap.source.wire.Packet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * The capture source: decoded {@link Packet}s from pcap/pcapng files, each file one split, with the
 * packet's capture time (milliseconds) as the record timestamp. Bounded.
 *
 * <p>Frames that do not decode are counted (metric group {@code sftap}, see {@code
 * CaptureSourceMetrics}) and skipped. The job chooses the watermarks:
 *
 * <pre>{@code
 * PacketSource source = PacketSource.builder().setFiles(List.of(Path.of("trace.pcapng"))).build();
 * DataStream<Packet> packets = env.fromSource(source,
 *         WatermarkStrategy.<Packet>forBoundedOutOfOrderness(Duration.ofSeconds(1)), "capture");
 * }</pre>
 */
@PublicEvolving
public final class PacketSource
        implements Source<Packet, CaptureSplit, CaptureEnumState>, ResultTypeQueryable<Packet> {
    private static final long serialVersionUID = 1L;

    private final List<String> files;
    private final int framesPerBatch;

    PacketSource(List<String> files, int framesPerBatch) {
        this.files = List.copyOf(files);
        this.framesPerBatch = framesPerBatch;
    }

    public static PacketSourceBuilder builder() {
        return new PacketSourceBuilder();
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
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
        return new CaptureEnumerator(context, state.pendingSplits());
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

    /** One split per file, with ids {@code file-0}, {@code file-1}, ... in the order given. */
    List<CaptureSplit> initialSplits() {
        List<CaptureSplit> splits = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            splits.add(CaptureSplit.file("file-" + i, Path.of(files.get(i))));
        }
        return splits;
    }

    /** The files this source reads (absolute paths). */
    public List<String> files() {
        return files;
    }

    public int framesPerBatch() {
        return framesPerBatch;
    }
}
