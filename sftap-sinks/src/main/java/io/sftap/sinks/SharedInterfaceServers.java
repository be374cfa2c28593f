package io.sftap.sinks;

import io.sftap.sinks.socket.ConnectionCounters;
import io.sftap.sinks.socket.InterfaceSocketServer;
import io.sftap.sinks.socket.SocketDirectory;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

/**
 * The interface socket servers that the sink writers of this process share, one per home
 * directory: the first writer to acquire a home opens its server, the last to release it closes
 * it and removes the sockets.
 *
 * <p>This is what lets every subtask serve every socket when all subtasks run in one JVM (an
 * embedded MiniCluster): the events need no shuffle to the one writer that owns their socket, so
 * the sink runs chained to the flow abstractor at any parallelism. A flow's events all come from
 * the subtask that holds its key, so their order on the socket is the order that subtask wrote
 * them in; each connection stages whole events under its own lock, so events of different
 * subtasks never interleave inside one another.
 */
final class SharedInterfaceServers {
    private static final Map<String, Shared> BY_HOME = new HashMap<>();

    private SharedInterfaceServers() {}

    /** One home's server, its connection counters, and how many writers hold it. */
    static final class Shared {
        final String home;
        final InterfaceSocketServer server;
        final ConnectionCounters connections;
        private final String settings;
        private int holders;
        private boolean reported;

        private Shared(String home, String settings, InterfaceSocketServer server,
                ConnectionCounters connections) {
            this.home = home;
            this.settings = settings;
            this.server = server;
            this.connections = connections;
        }

        /** True for the first caller only, the writer that reports the server's metrics. */
        synchronized boolean claimReporting() {
            boolean first = !reported;
            reported = true;
            return first;
        }

        /** Gives this writer's hold back; the last one closes the server. */
        void release() throws IOException {
            SharedInterfaceServers.release(this);
        }
    }

    /**
     * The server of {@code sink}'s home, opened if no writer of this process holds it.
     *
     * @throws IOException if the server cannot start, or a sink with other settings holds the home
     */
    static Shared acquire(UnixSocketSink sink) throws IOException {
        String settings = "group=" + sink.group() + ", connection buffer=" + sink.connectionBufferBytes();
        synchronized (BY_HOME) {
            Shared shared = BY_HOME.get(sink.home());
            if (shared == null) {
                ConnectionCounters connections = new ConnectionCounters();
                SocketDirectory directory = new SocketDirectory(Paths.get(sink.home()), sink.group());
                InterfaceSocketServer server = new InterfaceSocketServer(directory, sink.connectionBufferBytes(),
                        InterfaceSocketServer.DEFAULT_STAGE_BYTES, connections, "sftap-interfaces");
                shared = new Shared(sink.home(), settings, server, connections);
                BY_HOME.put(sink.home(), shared);
            } else if (!shared.settings.equals(settings)) {
                throw new IOException("home " + sink.home() + " is served in this process with " + shared.settings
                        + "; a sink with " + settings + " cannot share it");
            }
            shared.holders++;
            return shared;
        }
    }

    private static void release(Shared shared) throws IOException {
        synchronized (BY_HOME) {
            if (--shared.holders > 0) {
                return;
            }
            BY_HOME.remove(shared.home);
            shared.server.close();
        }
    }
}
