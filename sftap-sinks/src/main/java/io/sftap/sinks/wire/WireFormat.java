package io.sftap.sinks.wire;

import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import java.io.IOException;
import java.io.InputStream;

/**
 * One of SF-TAP's two wire formats of the abstract interfaces: {@link TextWireFormat} or {@link
 * BinaryWireFormat}. Pure byte code, no Flink.
 *
 * <p>Invariant of both: a DATA event carries at most {@link #MAX_DATA_LENGTH} bytes, because the
 * binary header's {@code len} is a u16. A longer DATA event is written as several consecutive DATA
 * events with the same header fields and time, each with at most that many bytes, in order; both
 * formats split the same way so that an analyzer sees the same events whichever format it reads.
 */
public interface WireFormat {
    /** Largest payload of one wire event (u16 {@code len}). */
    int MAX_DATA_LENGTH = 0xffff;

    /**
     * Encodes one event, and its body if {@link FlowEvent#body} is set, into the bytes written to
     * the socket: one or more wire events (see the split rule above).
     */
    byte[] encode(FlowEvent event);

    /**
     * The same bytes as {@link #encode}, with the body kept apart when the event is one wire event
     * (see {@link EncodedEvent}).
     */
    default EncodedEvent encodeParts(FlowEvent event) {
        return EncodedEvent.of(encode(event));
    }

    /**
     * Reads one wire event. Returns null at end of stream on an event boundary.
     *
     * @param body whether the interface sends bodies ({@code body: yes}); with {@code body: no} the
     *     header still states {@code len} but no bytes follow
     * @throws WireFormatException if the bytes are not a valid event or end inside one
     */
    WireEvent read(InputStream in, boolean body) throws IOException;

    /** The format named by a rule's {@code format:} ({@code binary} when true, else text). */
    static WireFormat of(boolean binary) {
        return binary ? BinaryWireFormat.INSTANCE : TextWireFormat.INSTANCE;
    }

    /** The format an event is routed with. */
    static WireFormat forEvent(FlowEvent event) {
        return of(event.binary);
    }

    /** How many wire events {@code event} becomes. */
    static int chunkCount(FlowEvent event) {
        if (event.type != EventType.DATA || event.data.length == 0) {
            return 1;
        }
        return (event.data.length + MAX_DATA_LENGTH - 1) / MAX_DATA_LENGTH;
    }

    /** Payload length of wire event {@code chunk} of {@code event}. */
    static int chunkLength(FlowEvent event, int chunk) {
        if (event.type != EventType.DATA) {
            return 0;
        }
        return Math.min(MAX_DATA_LENGTH, event.data.length - chunk * MAX_DATA_LENGTH);
    }
}
