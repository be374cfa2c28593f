package io.sftap.sinks.event;

import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One event of the abstract interfaces: a flow was CREATED, carried DATA, or was DESTROYED, routed
 * to one socket.
 *
 * <p>Travels between operators with {@link FlowEventSerializer} (no POJO reflection, no Kryo). The routing fields ({@link #socket}, {@link #binary}, {@link #body}) are filled
 * by the classifier from the rule that matched, so the sink needs no rules of its own.
 */
@TypeInfo(FlowEventTypeInfoFactory.class)
public class FlowEvent {
    public FlowKey key;
    public EventType type;
    /** Sender of the DATA; {@link Direction#NONE} for CREATED and DESTROYED. */
    public Direction from = Direction.NONE;
    /** Whether the sender's direction matched the rule's {@code up} or {@code down} pattern. */
    public Match match = Match.NONE;
    /** Why the flow ended; set on DESTROYED only. */
    public Reason reason = Reason.NORMAL;
    /** Capture time of the packet that caused the event (or the time a timeout fired), ns. */
    public long timestampNanos;
    /** Rule interface name, e.g. {@code http} (without balance suffix). */
    public String iface;
    /** Socket path relative to the home directory, e.g. {@code tcp/http} or {@code tcp/http3}. */
    public String socket;
    /** {@code format: binary} when true, text otherwise. */
    public boolean binary;
    /** {@code body: yes}: send the data bytes, not only the header. */
    public boolean body = true;
    /** DATA bytes; empty for other events. */
    public byte[] data = EMPTY;

    private static final byte[] EMPTY = new byte[0];

    public FlowEvent() {}

    public static FlowEvent created(FlowKey key, long timestampNanos) {
        FlowEvent e = new FlowEvent();
        e.key = key;
        e.type = EventType.CREATED;
        e.timestampNanos = timestampNanos;
        return e;
    }

    public static FlowEvent data(FlowKey key, Direction from, Match match, byte[] data, long timestampNanos) {
        FlowEvent e = new FlowEvent();
        e.key = key;
        e.type = EventType.DATA;
        e.from = from;
        e.match = match;
        e.data = data;
        e.timestampNanos = timestampNanos;
        return e;
    }

    public static FlowEvent destroyed(FlowKey key, Reason reason, long timestampNanos) {
        FlowEvent e = new FlowEvent();
        e.key = key;
        e.type = EventType.DESTROYED;
        e.reason = reason;
        e.timestampNanos = timestampNanos;
        return e;
    }

    /** Sets the routing fields and returns this. */
    public FlowEvent routeTo(String iface, String socket, boolean binary, boolean body) {
        this.iface = iface;
        this.socket = socket;
        this.binary = binary;
        this.body = body;
        return this;
    }

    @Override
    public String toString() {
        return "FlowEvent{" + type + " " + key + " from=" + from.text + " match=" + match
                + " reason=" + reason + " t=" + timestampNanos + " socket=" + socket
                + " len=" + data.length + "}";
    }
}
