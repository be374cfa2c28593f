package io.sftap.job.loopback;

import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.Packet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TCP flows one loopback connection opened and did not destroy, so that closing the
 * connection can end them (pure). UDP flows have no CREATED/DESTROYED and are not tracked.
 */
final class LoopbackFlows {
    /** Open flow → the latest time the connection gave it (DESTROYED at close carries it). */
    private final Map<FlowKey, Long> open = new LinkedHashMap<>();

    /** Records an event the connection sent. */
    void track(Packet p) {
        if (!p.isTcp()) {
            return;
        }
        FlowKey key = FlowKey.of(p);
        if (p.streamEvent == Packet.STREAM_DESTROYED) {
            open.remove(key);
        } else {
            open.merge(key, p.timestampNanos, Math::max);
        }
    }

    int size() {
        return open.size();
    }

    /** DESTROYED events for every open flow, in the order they were opened; forgets them. */
    List<Packet> destroyAll() {
        List<Packet> out = new ArrayList<>(open.size());
        for (Map.Entry<FlowKey, Long> e : open.entrySet()) {
            FlowKey k = e.getKey();
            Packet p = new Packet();
            p.streamEvent = Packet.STREAM_DESTROYED;
            p.ipVersion = k.ipVersion;
            p.protocol = k.protocol;
            p.hop = k.hop;
            p.srcAddr = k.addr1;
            p.srcPort = k.port1;
            p.dstAddr = k.addr2;
            p.dstPort = k.port2;
            p.timestampNanos = e.getValue();
            out.add(p);
        }
        open.clear();
        return out;
    }
}
