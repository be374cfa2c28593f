package io.sftap.job.flow;

import io.sftap.job.classify.Classification;
import io.sftap.job.classify.RuleSet;
import io.sftap.job.reassembly.StreamListener;
import io.sftap.job.reassembly.TcpReassembler;
import io.sftap.job.reassembly.TcpStatus;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.Packet;
import io.sftap.source.wire.TcpFlags;

/**
 * The flow abstractor's algorithm for one flow (pure; no Flink): TCP reassembly, classification
 * and the CREATED / DATA / DESTROYED events of SF-TAP.
 *
 * <p>Order of events for a TCP flow: nothing until the flow is classified; then CREATED (with the
 * time of the flow's first packet), every buffered DATA in capture order, later DATA as it
 * arrives, and one DESTROYED. A flow is classified once both directions carried data, once one
 * direction reached {@code classify_bytes}, or when it ends; if only port or default rules match
 * while both directions are still short, it waits for up to {@link FlowSettings#MAX_WAIT_EVENTS}
 * data events for a pattern rule to match. UDP and ICMP are classified per datagram and produce
 * DATA events only, so they keep no state.
 */
public final class FlowProcessor {
    private final FlowSettings settings;
    private final TcpReassembler reassembler;

    public FlowProcessor(FlowSettings settings) {
        this.settings = settings;
        this.reassembler = new TcpReassembler(settings.reassemblyLimits);
    }

    public FlowSettings settings() {
        return settings;
    }

    /**
     * Processes one whole TCP segment of the flow {@code key}.
     *
     * @param state the flow's state, or null when none is held
     * @return the state to keep, or null when the flow holds nothing any more
     */
    public FlowState onTcp(
            FlowState state, FlowKey key, Packet p, RuleSet rules, EventCollector out, FlowCounters counters) {
        Direction from = FlowKey.directionOf(p);
        boolean syn = p.hasFlag(TcpFlags.SYN);
        if (state != null && state.closed) {
            // Only a SYN starts a new connection on a closed 4-tuple; a SYN-ACK counts too, as
            // after an injected RST the real handshake may go on (an IDS-evasion pattern). A
            // tombstone past its linger is gone even if its timer has not fired (a cleanly closed
            // flow's tombstone has none: it lives in the flow state cache only).
            if (!syn && p.timestampNanos <= settings.deadlineNanos(state)) {
                state.lastSeenNanos = p.timestampNanos;
                counters.ignored(FlowCounters.Ignored.TCP_AFTER_CLOSE);
                if (state.tcp != null && reassembler.acceptAfterClose(state.tcp, from, p.ack, p.tcpFlags)) {
                    state.closeAcknowledged = true; // the last ACK of the close handshake
                    state.tcp = null;
                }
                return state;
            }
            state = null; // a new connection on the same 4-tuple
        }
        if (state == null) {
            // Any segment opens a flow when mid-stream pickup is on (as tshark and nDPI see flows):
            // a connection whose handshake was missed still exists for analyzers.
            if (!syn && !settings.pickupWithoutSyn) {
                counters.ignored(FlowCounters.Ignored.TCP_NO_SYN);
                return null;
            }
            state = FlowState.open(p.timestampNanos);
            counters.flowCreated();
        }
        state.lastSeenNanos = Math.max(state.lastSeenNanos, p.timestampNanos);
        TcpStatus status = feed(state, key, from, p, rules, out);
        if (status == TcpStatus.REUSED) {
            end(state, key, Reason.NORMAL, p.timestampNanos, rules, out, counters);
            state = FlowState.open(p.timestampNanos);
            counters.flowCreated();
            status = feed(state, key, from, p, rules, out);
        }
        switch (status) {
            case CLOSED:
                end(state, key, Reason.NORMAL, p.timestampNanos, rules, out, counters);
                return state;
            case RESET:
                end(state, key, Reason.RESET, p.timestampNanos, rules, out, counters);
                return state;
            case COMPROMISED:
                end(state, key, Reason.COMPROMISED, p.timestampNanos, rules, out, counters);
                return state;
            default:
                return state;
        }
    }

    /**
     * The flow's timer fired at {@code nowNanos} with no packet since its deadline: an open flow
     * ends with TIMEOUT, a closed one's tombstone is dropped.
     *
     * @return always null: the flow holds nothing any more
     */
    public FlowState onTimeout(
            FlowState state, FlowKey key, long nowNanos, RuleSet rules, EventCollector out, FlowCounters counters) {
        if (!state.closed) {
            if (state.tcp != null) { // null for an L7-loopback flow: nothing to reassemble
                reassembler.finish(state.tcp, nowNanos, listener(state, key, rules, out));
            }
            end(state, key, Reason.TIMEOUT, nowNanos, rules, out, counters);
        }
        return null;
    }

    /** Processes one UDP datagram: a DATA event to the interface its rule names. */
    public void onUdp(FlowKey key, Packet p, RuleSet rules, EventCollector out) {
        Direction from = FlowKey.directionOf(p);
        Classification c = rules.classifyUdp(key, from, p.payload);
        out.emit(route(FlowEvent.data(key, from, c.matchFor(from), p.payload, p.timestampNanos), key, c));
    }

    /** Processes one ICMP or ICMPv6 message: a DATA event to the icmp interface. */
    public void onIcmp(FlowKey key, Packet p, RuleSet rules, EventCollector out) {
        Direction from = FlowKey.directionOf(p);
        Classification c = rules.classifyIcmp(key);
        out.emit(route(FlowEvent.data(key, from, c.matchFor(from), p.payload, p.timestampNanos), key, c));
    }

    // ---- L7 loopback: events of flows analyzers re-inject (see Packet#streamEvent) ----

    /**
     * Processes one event of a flow an analyzer re-injected through the L7 loopback: already a
     * byte stream, so no TCP reassembly, but classified again as captured flows are (the same
     * buffering, {@code classify_bytes} and CREATED / DATA / DESTROYED order). Events with a hop
     * above {@code hop_limit} are dropped and counted. A TCP DATA before CREATED opens the flow; a
     * second CREATED of an open flow and a DESTROYED of an unknown one are ignored. UDP DATA is
     * classified per datagram like captured UDP; UDP CREATED/DESTROYED carry nothing.
     *
     * <p>Re-injected flows have no idle timeout: their times follow the capture's clock, which
     * in a replay runs ahead of the analyzers, so an idle timer would end them early. They end
     * with the analyzer's DESTROYED, which the loopback also sends when the analyzer disconnects.
     *
     * @param state the flow's state, or null when none is held
     * @return the state to keep, or null when the flow holds nothing
     */
    public FlowState onStream(
            FlowState state, FlowKey key, Packet p, RuleSet rules, EventCollector out, FlowCounters counters) {
        if ((key.hop & 0xff) > settings.hopLimit) {
            counters.ignored(FlowCounters.Ignored.HOP_LIMIT);
            return state;
        }
        if (!key.isTcp()) {
            if (key.isUdp() && p.streamEvent == Packet.STREAM_DATA) {
                onUdp(key, p, rules, out);
            }
            return state;
        }
        boolean open = state != null && !state.closed;
        switch (p.streamEvent) {
            case Packet.STREAM_CREATED:
                return open ? state : openStream(p, counters);
            case Packet.STREAM_DATA:
                if (!open) {
                    state = openStream(p, counters);
                }
                state.lastSeenNanos = Math.max(state.lastSeenNanos, p.timestampNanos);
                onData(state, key, FlowKey.directionOf(p), p.payload, p.timestampNanos, rules, out);
                return state;
            case Packet.STREAM_DESTROYED:
                if (open) {
                    state.lastSeenNanos = Math.max(state.lastSeenNanos, p.timestampNanos);
                    end(state, key, Reason.NORMAL, p.timestampNanos, rules, out, counters);
                }
                return null; // no tombstone: the loopback has no late retransmissions
            default:
                return state;
        }
    }

    private static FlowState openStream(Packet p, FlowCounters counters) {
        FlowState s = FlowState.open(p.timestampNanos);
        s.tcp = null; // a re-injected flow arrives reassembled
        counters.flowCreated();
        return s;
    }

    private TcpStatus feed(FlowState state, FlowKey key, Direction from, Packet p, RuleSet rules, EventCollector out) {
        return reassembler.accept(
                state.tcp, from, p.seq, p.ack, p.tcpFlags, p.payload, p.segmentLength(), p.timestampNanos,
                listener(state, key, rules, out));
    }

    private StreamListener listener(FlowState state, FlowKey key, RuleSet rules, EventCollector out) {
        return (from, bytes, ts) -> onData(state, key, from, bytes, ts, rules, out);
    }

    private void onData(
            FlowState s, FlowKey key, Direction from, byte[] bytes, long ts, RuleSet rules, EventCollector out) {
        if (bytes.length == 0) {
            return;
        }
        if (s.classified) {
            out.emit(routed(s, FlowEvent.data(key, from, matchFor(s, from), bytes, ts)));
            return;
        }
        s.addPending(new PendingData(from, ts, bytes));
        s.unclassifiedDataEvents++;
        tryClassify(s, key, rules, out, false);
    }

    private void tryClassify(FlowState s, FlowKey key, RuleSet rules, EventCollector out, boolean force) {
        if (s.classified) {
            return;
        }
        int b1 = s.pendingBytes1;
        int b2 = s.pendingBytes2;
        boolean full = b1 >= settings.classifyBytes || b2 >= settings.classifyBytes;
        if (!force && !full && (b1 == 0 || b2 == 0)) {
            return;
        }
        Classification c = rules.classifyTcp(
                key,
                s.prefix(Direction.FROM_ENDPOINT1, settings.classifyBytes),
                s.prefix(Direction.FROM_ENDPOINT2, settings.classifyBytes));
        if (!force && !full && !c.byPattern && s.unclassifiedDataEvents < FlowSettings.MAX_WAIT_EVENTS) {
            return;
        }
        s.classified = true;
        s.ruleName = c.ruleName;
        s.iface = c.iface.name;
        s.socket = c.iface.socketFor(key);
        s.binary = c.iface.binary;
        s.body = c.iface.body;
        s.upSide = c.upSide;
        out.emit(routed(s, FlowEvent.created(key, s.createdNanos)));
        for (PendingData d : s.pending) {
            out.emit(routed(s, FlowEvent.data(key, d.from, matchFor(s, d.from), d.bytes, d.timestampNanos)));
        }
        s.clearPending();
    }

    private void end(
            FlowState s, FlowKey key, Reason reason, long ts, RuleSet rules, EventCollector out, FlowCounters counters) {
        tryClassify(s, key, rules, out, true);
        out.emit(routed(s, FlowEvent.destroyed(key, reason, ts)));
        counters.flowDestroyed(reason);
        s.closed = true;
        // A clean close keeps the connection until both FINs are acknowledged (the last ACK
        // usually follows the second FIN); then the tombstone only absorbs strays.
        boolean awaitingLastAck = reason == Reason.NORMAL && s.tcp != null && !s.tcp.finsAcknowledged();
        s.closeAcknowledged = reason == Reason.NORMAL && !awaitingLastAck;
        if (!awaitingLastAck) {
            s.tcp = null;
        }
    }

    private static Match matchFor(FlowState s, Direction from) {
        return Classification.matchFor(s.upSide, from);
    }

    private static FlowEvent routed(FlowState s, FlowEvent e) {
        return e.routeTo(s.iface, s.socket, s.binary, s.body);
    }

    private static FlowEvent route(FlowEvent e, FlowKey key, Classification c) {
        return e.routeTo(c.iface.name, c.iface.socketFor(key), c.iface.binary, c.iface.body);
    }
}
