package io.sftap.sinks.wire;

import java.nio.ByteBuffer;

/**
 * One event in wire bytes as its header and its body, kept apart so that a sender copies the
 * body once, straight into its own buffer, instead of into an intermediate array first.
 *
 * <p>The body is the event's own DATA array, shared, never written.
 */
public final class EncodedEvent {
    private final byte[] head;
    private final byte[] body;
    private final int bodyLength;

    private EncodedEvent(byte[] head, byte[] body, int bodyLength) {
        this.head = head;
        this.body = body;
        this.bodyLength = bodyLength;
    }

    /** Bytes that are a whole event (or several) already. */
    public static EncodedEvent of(byte[] whole) {
        return new EncodedEvent(whole, null, 0);
    }

    /** A header followed by the first {@code bodyLength} bytes of {@code body}. */
    static EncodedEvent of(byte[] head, byte[] body, int bodyLength) {
        return new EncodedEvent(head, body, bodyLength);
    }

    public int length() {
        return head.length + bodyLength;
    }

    /** Puts the whole event into {@code dst}, which must have {@link #length()} bytes left. */
    public void writeTo(ByteBuffer dst) {
        dst.put(head);
        if (bodyLength > 0) {
            dst.put(body, 0, bodyLength);
        }
    }

    /** The event in a buffer of its own, ready to read (a new buffer per call). */
    public ByteBuffer toBuffer() {
        if (bodyLength == 0) {
            return ByteBuffer.wrap(head);
        }
        ByteBuffer b = ByteBuffer.allocate(length());
        writeTo(b);
        return b.flip();
    }

    /** The event as one array (a copy unless it was made from one). */
    public byte[] toArray() {
        return bodyLength == 0 ? head : toBuffer().array();
    }
}
