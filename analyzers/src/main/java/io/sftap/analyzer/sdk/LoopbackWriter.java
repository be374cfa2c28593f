package io.sftap.analyzer.sdk;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Re-injects decapsulated (inner) flows into sftap through the {@code loopback7} socket.
 *
 * <p>Write CREATED, then DATA for each direction's bytes in order, then DESTROYED. The flow id
 * carries the hop of the <em>carrying</em> flow: sftap adds one. Closing the writer ends every
 * flow it opened. The format must match the {@code loopback7} rule's {@code format}.
 *
 * <pre>{@code
 * try (LoopbackWriter w = LoopbackWriter.connect(Path.of("/tmp/sf-tap"), Format.TEXT)) {
 *     FlowId inner = FlowId.ordered(outer.hop(), L4.TCP, client, 40000, server, 80);
 *     w.created(inner, time);
 *     w.data(inner, inner.fromOf(client, 40000), "GET / HTTP/1.1\r\n\r\n".getBytes(), time);
 *     w.destroyed(inner, time);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one writer per thread, or synchronize around calls.
 */
public final class LoopbackWriter implements Closeable {
    /** Name of the socket under the home directory. */
    public static final String SOCKET_NAME = "loopback7";

    private final WritableByteChannel out;
    private final Format format;

    public LoopbackWriter(WritableByteChannel out, Format format) {
        this.out = java.util.Objects.requireNonNull(out, "out");
        this.format = java.util.Objects.requireNonNull(format, "format");
    }

    /** Connects to {@code home/loopback7}. */
    public static LoopbackWriter connect(Path home, Format format) throws IOException {
        Path socket = home.resolve(SOCKET_NAME);
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to " + socket + " (is sftap running with a loopback7 rule?): "
                    + e.getMessage(), e);
        }
        return new LoopbackWriter(ch, format);
    }

    public void created(FlowId flow, Instant time) throws IOException {
        write(FlowEventHeader.created(flow, time), null);
    }

    /** Sends {@code data} as sent by endpoint {@code from} (1 or 2) of {@code flow}. */
    public void data(FlowId flow, int from, byte[] data, Instant time) throws IOException {
        if (from != 1 && from != 2) {
            throw new IllegalArgumentException("from must be 1 or 2, not " + from);
        }
        if (format == Format.BINARY) {
            // The binary header's len is 16 bits: split larger payloads.
            int off = 0;
            do {
                int n = Math.min(0xffff, data.length - off);
                write(FlowEventHeader.data(flow, from, Match.NONE, n, time),
                        java.util.Arrays.copyOfRange(data, off, off + n));
                off += n;
            } while (off < data.length);
            return;
        }
        write(FlowEventHeader.data(flow, from, Match.NONE, data.length, time), data);
    }

    public void destroyed(FlowId flow, Instant time) throws IOException {
        write(FlowEventHeader.destroyed(flow, Reason.NORMAL, time), null);
    }

    /** Writes one event; {@code data} must be {@code header.len()} bytes for DATA. */
    public void write(FlowEventHeader header, byte[] data) throws IOException {
        int n = data == null ? 0 : data.length;
        if (header.event() == EventType.DATA && header.len() != n) {
            throw new IllegalArgumentException("len=" + header.len() + " but " + n + " data bytes");
        }
        byte[] head = format == Format.TEXT ? EventEncoder.textHeader(header, true) : EventEncoder.binaryHeader(header);
        ByteBuffer[] parts = {ByteBuffer.wrap(head), ByteBuffer.wrap(data == null ? new byte[0] : data)};
        for (ByteBuffer p : parts) {
            while (p.hasRemaining()) {
                out.write(p);
            }
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
