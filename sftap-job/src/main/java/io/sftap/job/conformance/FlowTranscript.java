package io.sftap.job.conformance;

import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flows of one capture as the abstract interfaces showed them: per flow instance, the
 * interface it went to and the DATA bytes of each direction, in order.
 *
 * <p>Events must come in per-flow order (as one flow's events always do). A TCP flow instance runs
 * from CREATED to DESTROYED; UDP and ICMP flows (DATA only) are one instance per flow key.
 */
public final class FlowTranscript {
    /** One flow instance. */
    public static final class Flow {
        public final FlowKey key;
        public final long firstNanos;
        /** Interface of each event, counted (UDP may change per datagram). */
        final Map<String, Integer> ifaces = new LinkedHashMap<>();
        final ByteArrayOutputStream from1 = new ByteArrayOutputStream();
        final ByteArrayOutputStream from2 = new ByteArrayOutputStream();
        boolean destroyed;

        Flow(FlowKey key, long firstNanos) {
            this.key = key;
            this.firstNanos = firstNanos;
        }

        public byte[] bytesFrom(Direction d) {
            return (d == Direction.FROM_ENDPOINT1 ? from1 : from2).toByteArray();
        }

        /** The interface most of the flow's events went to. */
        public String iface() {
            return ifaces.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
        }

        /** tshark-style direction name {@code SRCIP,SRCPORT,DSTIP,DSTPORT}. */
        public String directionName(Direction d) {
            String e1 = Addresses.format(key.addr1) + "," + key.port1;
            String e2 = Addresses.format(key.addr2) + "," + key.port2;
            return d == Direction.FROM_ENDPOINT1 ? e1 + "," + e2 : e2 + "," + e1;
        }
    }

    private final List<Flow> flows = new ArrayList<>();
    private final Map<FlowKey, Flow> open = new HashMap<>();

    public void add(FlowEvent e) {
        Flow f = open.get(e.key);
        if (f == null || (e.type == EventType.CREATED && f.key.isTcp())) {
            f = new Flow(e.key, e.timestampNanos);
            flows.add(f);
            open.put(e.key, f);
        }
        f.ifaces.merge(e.iface, 1, Integer::sum);
        if (e.type == EventType.DATA) {
            (e.from == Direction.FROM_ENDPOINT1 ? f.from1 : f.from2).writeBytes(e.data);
        } else if (e.type == EventType.DESTROYED) {
            f.destroyed = true;
            open.remove(e.key);
        }
    }

    /** All flow instances in order of their first packet. */
    public List<Flow> flows() {
        List<Flow> out = new ArrayList<>(flows);
        out.sort(Comparator.comparingLong(f -> f.firstNanos));
        return out;
    }

    /**
     * TCP direction bytes by tshark's file name: {@code SRC,SPORT,DST,DPORT}, with {@code #k} for
     * the k-th reuse of the same 4-tuple (k counted in order of the flows' first packets).
     */
    public Map<String, byte[]> tcpDirections() {
        Map<String, byte[]> out = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Flow f : flows()) {
            if (!f.key.isTcp() || (f.from1.size() == 0 && f.from2.size() == 0)) {
                continue; // tshark lists no stream without payload, so it takes no reuse number
            }
            for (Direction d : new Direction[] {Direction.FROM_ENDPOINT1, Direction.FROM_ENDPOINT2}) {
                String base = f.directionName(d);
                int k = seen.merge(base, 1, Integer::sum) - 1;
                out.put(k == 0 ? base : base + "#" + k, f.bytesFrom(d));
            }
        }
        return out;
    }
}
