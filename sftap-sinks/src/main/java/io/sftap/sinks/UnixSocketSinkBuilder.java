package io.sftap.sinks;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Builds a {@link UnixSocketSink}.
 *
 * <pre>{@code
 * UnixSocketSink sink = UnixSocketSink.builder()
 *         .setHome(Paths.get("/tmp/sf-tap"))
 *         .setSockets(List.of("tcp/http", "udp/dns"))
 *         .setGroup("sftap")
 *         .setWaitForAnalyzers(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 */
@PublicEvolving
public class UnixSocketSinkBuilder {
    private Path home = Paths.get(UnixSocketSinkOptions.HOME.defaultValue());
    private final List<String> sockets = new ArrayList<>();
    private String group;
    private int connectionBufferBytes = (int) UnixSocketSinkOptions.CONNECTION_BUFFER.defaultValue().getBytes();
    private Duration waitForAnalyzers;
    private Duration drainTimeout = UnixSocketSinkOptions.DRAIN_TIMEOUT.defaultValue();
    private boolean sharedInProcess;

    UnixSocketSinkBuilder() {}

    /** Directory of the sockets ({@code global.home}); created if missing. */
    public UnixSocketSinkBuilder setHome(Path home) {
        this.home = checkNotNull(home, "home");
        return this;
    }

    /**
     * Sockets to create at start, relative to the home ({@code tcp/http}, {@code udp/dns0}, ...),
     * so analyzers can connect before traffic arrives. Sockets of other events are created on
     * their first event.
     */
    public UnixSocketSinkBuilder setSockets(Collection<String> sockets) {
        this.sockets.clear();
        this.sockets.addAll(new LinkedHashSet<>(checkNotNull(sockets, "sockets")));
        return this;
    }

    /** UNIX group for folders and sockets, or null to keep the process's group. */
    public UnixSocketSinkBuilder setGroup(String group) {
        this.group = group;
        return this;
    }

    /** Bytes queued per analyzer connection before whole events are dropped for it. */
    public UnixSocketSinkBuilder setConnectionBufferBytes(int bytes) {
        this.connectionBufferBytes = bytes;
        return this;
    }

    /** Wait up to this long for analyzers on the owned start sockets before the first event; null: no wait. */
    public UnixSocketSinkBuilder setWaitForAnalyzers(Duration wait) {
        this.waitForAnalyzers = wait;
        return this;
    }

    /** At end of input, wait up to this long for analyzers to take queued events. */
    public UnixSocketSinkBuilder setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = checkNotNull(drainTimeout, "drainTimeout");
        return this;
    }

    /**
     * Whether all subtasks in one process share one server per home, each serving every socket
     * (default false: each socket has one owning subtask, see {@link SocketPartitioner}). Only for
     * jobs whose subtasks all run in one JVM, such as an embedded MiniCluster: subtasks in two
     * processes on one host would each take over the other's socket files.
     */
    public UnixSocketSinkBuilder setSharedInProcess(boolean shared) {
        this.sharedInProcess = shared;
        return this;
    }

    public UnixSocketSink build() {
        sanityCheck();
        return new UnixSocketSink(home.toAbsolutePath().normalize().toString(), sockets, group,
                connectionBufferBytes, waitForAnalyzers, drainTimeout, sharedInProcess);
    }

    private void sanityCheck() {
        checkState(connectionBufferBytes > 0, "connection buffer must be positive, got %s", connectionBufferBytes);
        checkState(waitForAnalyzers == null || !waitForAnalyzers.isNegative(),
                "waitForAnalyzers must not be negative, got %s", waitForAnalyzers);
        checkState(!drainTimeout.isNegative(), "drainTimeout must not be negative, got %s", drainTimeout);
        checkState(group == null || !group.isBlank(), "group must be null or a group name");
        Path absoluteHome = home.toAbsolutePath().normalize();
        for (String s : sockets) {
            checkArgument(s != null && !s.isBlank(), "socket paths must not be empty");
            Path p = absoluteHome.resolve(s).normalize();
            checkArgument(!Paths.get(s).isAbsolute() && p.startsWith(absoluteHome) && !p.equals(absoluteHome),
                    "socket path '%s' must be relative to the home and stay inside it (like tcp/http)", s);
        }
    }
}
