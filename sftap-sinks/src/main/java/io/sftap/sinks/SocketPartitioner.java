package io.sftap.sinks;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.Partitioner;

/**
 * Assigns each interface socket (its path relative to the home, e.g. {@code tcp/http2}) to one
 * sink subtask, so that exactly one writer serves each socket.
 *
 * <pre>{@code
 * events.partitionCustom(new SocketPartitioner(), e -> e.socket).sinkTo(sink);
 * }</pre>
 *
 * <p>The hash is {@link String#hashCode()}, whose value the Java language specification fixes,
 * so every JVM and every restart agrees on the owner. Balanced sockets {@code <if>0..<if>N-1}
 * differ only in their last character and so land on consecutive channels.
 */
@PublicEvolving
public class SocketPartitioner implements Partitioner<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public int partition(String socket, int numPartitions) {
        return Math.floorMod(socket.hashCode(), numPartitions);
    }

    /** Whether subtask {@code index} of {@code parallelism} serves {@code socket}. */
    public boolean owns(String socket, int index, int parallelism) {
        return partition(socket, parallelism) == index;
    }
}
