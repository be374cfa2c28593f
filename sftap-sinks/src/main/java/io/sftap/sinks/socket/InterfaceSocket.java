package io.sftap.sinks.socket;

import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One listening abstract-interface socket (e.g. {@code home/tcp/http}) and its analyzers; a
 * publisher may hold it ({@link InterfaceSocketServer#socket}) to publish without a lookup.
 */
public final class InterfaceSocket {
    /** Path relative to the home, the socket's name in events and metrics. */
    final String name;
    final Path path;
    final ServerSocketChannel channel;
    /** Identity of the socket file we bound, so that close() never deletes a successor's file. */
    final Object fileKey;
    /** Copy-on-write: publishers iterate it on every event, analyzers come and go rarely. */
    final List<AnalyzerConnection> connections = new CopyOnWriteArrayList<>();

    InterfaceSocket(String name, Path path, ServerSocketChannel channel, Object fileKey) {
        this.name = name;
        this.path = path;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /** Path relative to the home, as in events and metrics. */
    public String name() {
        return name;
    }
}
