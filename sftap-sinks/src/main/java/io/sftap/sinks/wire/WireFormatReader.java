package io.sftap.sinks.wire;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the events of one abstract interface from a byte stream (a connected socket, a file).
 *
 * <p>An analyzer must know how its interface is configured ({@code format:} and {@code body:} of
 * the rule), because the stream carries neither.
 *
 * <pre>{@code
 * try (WireFormatReader r = new WireFormatReader(Channels.newInputStream(ch), WireFormat.of(false), true)) {
 *     for (WireEvent e; (e = r.next()) != null; ) { ... }
 * }
 * }</pre>
 */
public class WireFormatReader implements Closeable {
    private final InputStream in;
    private final WireFormat format;
    private final boolean body;

    public WireFormatReader(InputStream in, WireFormat format, boolean body) {
        this.in = new UnsyncBufferedInputStream(in, 1 << 16);
        this.format = format;
        this.body = body;
    }

    /** The next event, or null at the end of the stream. */
    public WireEvent next() throws IOException {
        return format.read(in, body);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
