package io.sftap.job.replay;

import io.sftap.source.PacketSource;
import io.sftap.source.enumerator.CaptureEnumState;
import io.sftap.source.split.CaptureSplit;
import io.sftap.source.wire.Packet;
import java.nio.file.Path;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimitedSourceReader;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A capture-file replay: the {@link PacketSource}, optionally paced to a packet rate, and
 * optionally reporting the end of each reader's replay on the rules control socket (so a live
 * rules source ends with the capture). Same splits and state as the {@link PacketSource}: a
 * savepoint restores across both.
 *
 * <pre>{@code
 * ReplaySource replay = new ReplaySource(PacketSource.builder().setFiles(files).build(), 1000, controlSocket);
 * }</pre>
 */
@PublicEvolving
public final class ReplaySource implements Source<Packet, CaptureSplit, CaptureEnumState>, ResultTypeQueryable<Packet> {
    private static final long serialVersionUID = 1L;

    private final PacketSource capture;
    private final double packetsPerSecond;
    private final String controlSocket;

    /**
     * @param packetsPerSecond total rate over all readers (each reading one file at a time); 0 for
     *     as fast as possible
     * @param controlSocket where to report the end of the replay, or null
     */
    public ReplaySource(PacketSource capture, double packetsPerSecond, Path controlSocket) {
        if (packetsPerSecond < 0) {
            throw new IllegalArgumentException("replay rate must not be negative: " + packetsPerSecond);
        }
        this.capture = capture;
        this.packetsPerSecond = packetsPerSecond;
        this.controlSocket = controlSocket == null ? null : controlSocket.toAbsolutePath().toString();
    }

    @Override
    public Boundedness getBoundedness() {
        return capture.getBoundedness();
    }

    @Override
    public SourceReader<Packet, CaptureSplit> createReader(SourceReaderContext context) throws Exception {
        SourceReader<Packet, CaptureSplit> reader = capture.createReader(context);
        if (packetsPerSecond > 0) {
            // Only as many readers as files get a split; the others end at once.
            int readers = Math.max(1, Math.min(context.currentParallelism(), capture.files().size()));
            reader = new RateLimitedSourceReader<>(reader,
                    RateLimiterStrategy.<CaptureSplit>perSecond(packetsPerSecond).createRateLimiter(readers));
        }
        if (controlSocket != null) {
            reader = new EndReportingReader(reader, Path.of(controlSocket), context.getIndexOfSubtask(),
                    context.currentParallelism());
        }
        return reader;
    }

    @Override
    public SplitEnumerator<CaptureSplit, CaptureEnumState> createEnumerator(SplitEnumeratorContext<CaptureSplit> context)
            throws Exception {
        return capture.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<CaptureSplit, CaptureEnumState> restoreEnumerator(
            SplitEnumeratorContext<CaptureSplit> context, CaptureEnumState state) throws Exception {
        return capture.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<CaptureSplit> getSplitSerializer() {
        return capture.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<CaptureEnumState> getEnumeratorCheckpointSerializer() {
        return capture.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<Packet> getProducedType() {
        return capture.getProducedType();
    }
}
