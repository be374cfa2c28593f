package io.sftap.sinks.socket;

/**
 * What happens on the sockets of an {@link InterfaceSocketServer}, for metrics and logs.
 *
 * <p>{@link #noAnalyzer} and {@link #overflow} run on the publishing thread; {@link #connected}
 * and {@link #disconnected} run on the selector thread or, for a failed write, the publishing
 * thread.
 */
public interface SocketServerListener {
    /** An analyzer connected to {@code socket}. */
    default void connected(String socket) {}

    /** An analyzer of {@code socket} closed its connection or failed; it was removed. */
    default void disconnected(String socket) {}

    /** An event for {@code socket} was discarded because no analyzer was connected. */
    default void noAnalyzer(String socket) {}

    /** An event for {@code socket} was dropped for one analyzer whose buffer was full. */
    default void overflow(String socket) {}

    SocketServerListener NONE = new SocketServerListener() {};
}
