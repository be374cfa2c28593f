package io.sftap.job.replicate.listen;

import io.sftap.source.wire.Packet;
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
 * A source of UDP datagrams received on ordinary sockets, for hosts where no capture runs: each
 * datagram becomes a {@link Packet} with the sender's address and port (IPv4 and IPv6), and each
 * message of a syslog-over-TCP connection likewise. One split per endpoint. Unbounded.
 *
 * <pre>{@code
 * ListenSource source = new ListenSource(List.of(ListenEndpoint.parse("udp:514"),
 *         ListenEndpoint.parse("tcp-syslog:514")));
 * DataStream<Packet> datagrams = env.fromSource(source, WatermarkStrategy.noWatermarks(), "listen");
 * }</pre>
 */
@PublicEvolving
public final class ListenSource implements Source<Packet, ListenSplit, List<ListenSplit>>, ResultTypeQueryable<Packet> {
    private static final long serialVersionUID = 1L;
    static final int BATCH = 1024;

    private final List<ListenEndpoint> endpoints;

    public ListenSource(List<ListenEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("the listen source needs at least one endpoint");
        }
        this.endpoints = List.copyOf(endpoints);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<Packet, ListenSplit> createReader(SourceReaderContext context) {
        return new ListenSourceReader(context, BATCH);
    }

    @Override
    public SplitEnumerator<ListenSplit, List<ListenSplit>> createEnumerator(SplitEnumeratorContext<ListenSplit> context) {
        List<ListenSplit> splits = new ArrayList<>();
        for (ListenEndpoint e : endpoints) {
            splits.add(new ListenSplit(e));
        }
        return new ListenEnumerator(context, splits);
    }

    @Override
    public SplitEnumerator<ListenSplit, List<ListenSplit>> restoreEnumerator(
            SplitEnumeratorContext<ListenSplit> context, List<ListenSplit> checkpoint) {
        return new ListenEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ListenSplit> getSplitSerializer() {
        return new ListenSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<ListenSplit>> getEnumeratorCheckpointSerializer() {
        return new ListenEnumStateSerializer();
    }

    @Override
    public TypeInformation<Packet> getProducedType() {
        return TypeInformation.of(Packet.class);
    }
}
