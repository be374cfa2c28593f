package io.sftap.job.loopback;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/** Builder of {@link LoopbackSource}; setters return {@code this}. */
public final class LoopbackSourceBuilder {
    /** How long a replay's loopback waits, after the capture ended, for the socket to fall quiet. */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(3);

    private Path socket;
    private boolean binary;
    private String group;
    private Duration linger;

    LoopbackSourceBuilder() {}

    /** The socket file, usually {@code <home>/loopback7}. */
    public LoopbackSourceBuilder setSocket(Path socket) {
        this.socket = socket;
        return this;
    }

    /** UNIX group given access to the socket, as for the interface sockets (default: the process's). */
    public LoopbackSourceBuilder setGroup(String group) {
        this.group = group;
        return this;
    }

    /** {@code format: binary} of the rules' {@code loopback7} section (default text). */
    public LoopbackSourceBuilder setBinary(boolean binary) {
        this.binary = binary;
        return this;
    }

    /**
     * Makes this the loopback of a replay: it ends once the capture ended and nothing arrived
     * for {@code linger}. Without it the loopback runs until the job is cancelled.
     */
    public LoopbackSourceBuilder setEndAfterCapture(Duration linger) {
        this.linger = linger;
        return this;
    }

    public LoopbackSource build() {
        Objects.requireNonNull(socket, "socket must be set");
        if (linger != null && linger.isNegative()) {
            throw new IllegalStateException("linger must not be negative: " + linger);
        }
        String path = socket.toAbsolutePath().toString();
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            throw new IllegalStateException("socket path longer than a UNIX socket allows (107 bytes): " + path);
        }
        return new LoopbackSource(path, binary, group, linger == null ? null : UUID.randomUUID().toString(),
                linger == null ? Duration.ZERO : linger);
    }
}
