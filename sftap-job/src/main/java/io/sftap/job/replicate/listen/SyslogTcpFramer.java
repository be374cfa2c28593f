package io.sftap.job.replicate.listen;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a syslog-over-TCP byte stream into messages (RFC 6587). The framing is detected from the
 * connection's first byte: a digit means octet counting ({@code LEN SP MSG}, section 3.4.1),
 * anything else non-transparent framing (messages end with LF, or NUL; a CR before it is dropped,
 * section 3.4.2). Plain Java; one instance per connection.
 *
 * <p>A message longer than {@code maxMessage} is cut there in non-transparent framing (the rest
 * becomes the next message, as rsyslog does); an octet count above it, or a count that is not a
 * number, is a framing error: the connection cannot be resynchronised and must be closed.
 */
public final class SyslogTcpFramer {
    /** Framing of a connection, known after its first byte. */
    public enum Framing {
        UNKNOWN,
        OCTET_COUNTING,
        NON_TRANSPARENT
    }

    /** Thrown when an octet-counted stream is broken; close the connection. */
    public static final class FramingException extends Exception {
        private static final long serialVersionUID = 1L;

        FramingException(String message) {
            super(message);
        }
    }

    private final int maxMessage;
    private Framing framing = Framing.UNKNOWN;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    /** Octet counting: -1 while reading the length, else the bytes the message still needs. */
    private int remaining = -1;
    private long length;

    public SyslogTcpFramer(int maxMessage) {
        this.maxMessage = maxMessage;
    }

    public Framing framing() {
        return framing;
    }

    /** Feeds received bytes; returns the messages they complete (possibly none). */
    public List<byte[]> feed(byte[] b, int off, int len) throws FramingException {
        List<byte[]> out = new ArrayList<>();
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (framing == Framing.UNKNOWN) {
                framing = c >= '1' && c <= '9' ? Framing.OCTET_COUNTING : Framing.NON_TRANSPARENT;
            }
            if (framing == Framing.NON_TRANSPARENT) {
                nonTransparent(c, out);
            } else if (remaining < 0) {
                countDigit(c);
            } else {
                message.write(c);
                if (--remaining == 0) {
                    out.add(take());
                    remaining = -1;
                }
            }
        }
        return out;
    }

    /** The message cut short when the peer closed, or null (non-transparent framing only). */
    public byte[] finish() {
        return framing == Framing.NON_TRANSPARENT && message.size() > 0 ? stripCr(take()) : null;
    }

    private void nonTransparent(byte c, List<byte[]> out) {
        if (c == '\n' || c == 0) {
            if (message.size() > 0) {
                out.add(stripCr(take()));
            }
            return;
        }
        message.write(c);
        if (message.size() >= maxMessage) {
            out.add(take());
        }
    }

    private void countDigit(byte c) throws FramingException {
        if (c >= '0' && c <= '9') {
            length = length * 10 + (c - '0');
            if (length > maxMessage) {
                throw new FramingException("octet count above the " + maxMessage + "-byte limit");
            }
            return;
        }
        if (c == ' ' && length > 0) {
            remaining = (int) length;
            length = 0;
            return;
        }
        if (c == '\n' || c == '\r') {
            return; // some senders end octet-counted frames with a newline too; it is not part of the next length
        }
        throw new FramingException("expected an octet count, found byte 0x" + Integer.toHexString(c & 0xff));
    }

    private byte[] take() {
        byte[] m = message.toByteArray();
        message.reset();
        return m;
    }

    private static byte[] stripCr(byte[] m) {
        return m.length > 0 && m[m.length - 1] == '\r' ? java.util.Arrays.copyOf(m, m.length - 1) : m;
    }
}
