package io.sftap.sinks.replicate;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collector's bounded queue and the thread that empties it into a {@link DestinationSender}.
 *
 * <p>{@link #offer} never blocks: when the queue is full the copy is dropped and counted, so a dead,
 * slow or unreachable collector holds up nobody but itself. The sender is opened on the thread at
 * first use and reopened after a failure to open, at most every {@link #REOPEN_NANOS}.
 */
final class DestinationChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DestinationChannel.class);
    static final long REOPEN_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** A queued copy: the datagram, where to, and whose counters. */
    private static final class Outgoing {
        final Replica replica;
        final ReplicaTarget target;
        final DestinationCounters counters;

        Outgoing(Replica replica, ReplicaTarget target, DestinationCounters counters) {
            this.replica = replica;
            this.target = target;
            this.counters = counters;
        }
    }

    private final String name;
    private final ReplicaTarget target;
    private final DestinationSender.Factory factory;
    private final ArrayBlockingQueue<Outgoing> queue;
    private final Thread thread;
    private volatile boolean running = true;
    /** Copies queued or being sent; raised before a copy enters the queue, lowered after it is sent. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long lastUsedNanos = System.nanoTime();

    DestinationChannel(ReplicaTarget target, DestinationSender.Factory factory, int capacity) {
        this.name = target.key();
        this.target = target;
        this.factory = factory;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "sftap-replicate " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a copy, or drops and counts it when the queue is full. */
    void offer(Replica r, ReplicaTarget t, DestinationCounters counters) {
        lastUsedNanos = System.nanoTime();
        pending.incrementAndGet();
        if (!queue.offer(new Outgoing(r, t, counters))) {
            pending.decrementAndGet();
            counters.dropped();
        }
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** True when nothing is queued or being sent. */
    boolean idle() {
        return pending.get() == 0;
    }

    private void run() {
        DestinationSender sender = null;
        long openFailedAt = 0;
        boolean openFailed = false;
        while (running) {
            Outgoing o;
            try {
                o = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (o == null) {
                continue;
            }
            try {
                if (sender == null && (!openFailed || System.nanoTime() - openFailedAt > REOPEN_NANOS)) {
                    try {
                        sender = factory.open(target);
                        openFailed = false;
                    } catch (IOException e) {
                        openFailed = true;
                        openFailedAt = System.nanoTime();
                        LOG.error("cannot open destination {}: {}", name, e.getMessage());
                    }
                }
                if (sender == null) {
                    o.counters.error();
                    continue;
                }
                try {
                    sender.send(o.replica, o.target);
                    o.counters.sent(o.replica.payload.length);
                } catch (IOException e) {
                    o.counters.error();
                    LOG.debug("send to {} failed: {}", name, e.getMessage());
                }
            } finally {
                pending.decrementAndGet();
            }
        }
        if (sender != null) {
            sender.close();
        }
    }

    /** Stops the thread (copies still queued are dropped uncounted: the destination is going away). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
