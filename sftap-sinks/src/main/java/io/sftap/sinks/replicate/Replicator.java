package io.sftap.sinks.replicate;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Copies datagrams to their collectors: one {@link DestinationChannel} per collector, created at
 * first use and kept across rule changes, so a change of rules loses nothing for collectors that
 * stay. A collector unused for {@link ReplicatorSettings#idleClose} is closed.
 *
 * <p>Not thread-safe: one task thread calls {@link #replicate}; the channels send on their own
 * threads. Plain Java, no Flink.
 */
public final class Replicator implements AutoCloseable {
    private final ReplicatorSettings settings;
    private final ReplicationCounters counters;
    private final DestinationSender.Factory senders;
    private final Map<String, DestinationChannel> channels = new HashMap<>();
    private final Map<String, DestinationCounters> countersByPair = new HashMap<>();
    private long lastSweepNanos = System.nanoTime();

    public Replicator(ReplicatorSettings settings, ReplicationCounters counters, DestinationSender.Factory senders) {
        this.settings = settings;
        this.counters = counters;
        this.senders = senders;
    }

    /** A replicator sending for real: raw sockets for {@code preserve}, UDP sockets for {@code relay}. */
    public static Replicator sending(ReplicatorSettings settings, ReplicationCounters counters) {
        return new Replicator(settings, counters, t -> t.preserve
                ? new PreservingSender(t, settings.sendBufferBytes)
                : new RelayingSender(t, settings.sendBufferBytes));
    }

    /** Queues a copy of {@code r} for each of its targets; never blocks. */
    public void replicate(Replica r) {
        for (ReplicaTarget t : r.targets) {
            String key = t.key();
            DestinationChannel c = channels.get(key);
            if (c == null) {
                c = new DestinationChannel(t, senders, settings.queueCapacity);
                channels.put(key, c);
            }
            c.offer(r, t, countersOf(t));
        }
        long now = System.nanoTime();
        if (now - lastSweepNanos > 1_000_000_000L) {
            lastSweepNanos = now;
            closeIdle(now);
        }
    }

    private DestinationCounters countersOf(ReplicaTarget t) {
        String pair = t.rule + "\u0000" + t.key();
        DestinationCounters c = countersByPair.get(pair);
        if (c == null) {
            c = counters.of(ReplicationCounters.ruleName(t.rule), DestinationNames.of(t.address, t.port));
            countersByPair.put(pair, c);
        }
        return c;
    }

    /** Closes channels unused since {@code nowNanos - idleClose} whose queues are empty. */
    void closeIdle(long nowNanos) {
        long limit = settings.idleClose.toNanos();
        for (Iterator<DestinationChannel> it = channels.values().iterator(); it.hasNext(); ) {
            DestinationChannel c = it.next();
            if (nowNanos - c.lastUsedNanos() > limit && c.idle()) {
                c.close();
                it.remove();
            }
        }
    }

    /** Number of open collector channels. */
    public int channelCount() {
        return channels.size();
    }

    /** Waits until every queued copy has been sent or failed, at most {@code timeout}; true if all went. */
    public boolean awaitSent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (channels.values().stream().allMatch(DestinationChannel::idle)) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    @Override
    public void close() {
        channels.values().forEach(DestinationChannel::close);
        channels.clear();
    }
}
