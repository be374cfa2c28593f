package io.sftap.analyzer.testutil;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Plays sftap's side of one interface in tests: a real UNIX-domain server socket. */
public final class InterfaceServer implements Closeable {
    private final Path path;
    private final ServerSocketChannel server;

    public InterfaceServer(Path path) throws IOException {
        this.path = path;
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
    }

    public Path path() {
        return path;
    }

    /** Waits for the next analyzer to connect. */
    public SocketChannel accept() throws IOException {
        return server.accept();
    }

    /** Accepts one analyzer, writes {@code bytes} in pieces of {@code piece} bytes, and closes. */
    public void serveOnce(byte[] bytes, int piece) throws IOException {
        try (SocketChannel ch = accept()) {
            for (int off = 0; off < bytes.length; off += piece) {
                ByteBuffer b = ByteBuffer.wrap(bytes, off, Math.min(piece, bytes.length - off));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
