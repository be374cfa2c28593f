package io.sftap.sinks.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Tests for {@link Replicator}: per-collector isolation, drops, counters, rule changes. */
class ReplicatorTest {
    /** In-memory counters by "rule dest kind". */
    static final class Counts implements ReplicationCounters {
        final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

        long get(String rule, String dest, String kind) {
            AtomicLong v = values.get(rule + " " + dest + " " + kind);
            return v == null ? 0 : v.get();
        }

        @Override
        public DestinationCounters of(String rule, String dest) {
            return new DestinationCounters() {
                @Override
                public void sent(int bytes) {
                    inc("sent");
                    values.computeIfAbsent(rule + " " + dest + " bytes", k -> new AtomicLong()).addAndGet(bytes);
                }

                @Override
                public void error() {
                    inc("errors");
                }

                @Override
                public void dropped() {
                    inc("drops");
                }

                private void inc(String kind) {
                    values.computeIfAbsent(rule + " " + dest + " " + kind, k -> new AtomicLong()).incrementAndGet();
                }
            };
        }
    }

    private static final byte[] SRC = {(byte) 198, 18, 1, 1};

    private static ReplicaTarget target(String rule, int last) {
        return new ReplicaTarget(rule, new byte[] {(byte) 198, 18, 2, (byte) last}, 514, true);
    }

    private static Replica datagram(int seq, ReplicaTarget... targets) {
        return new Replica(SRC, new byte[4], 40000, 514, new byte[] {(byte) seq, 1, 2}, targets);
    }

    @Test
    void aBlockedCollectorDropsItsOwnCopiesWhileTheOthersGetAll() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Map<String, List<Integer>> received = new ConcurrentHashMap<>();
        DestinationSender.Factory factory = t -> new DestinationSender() {
            @Override
            public void send(Replica r, ReplicaTarget to) {
                if (to.address[3] == 9) {
                    try {
                        release.await(); // a collector whose socket never drains
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                received.computeIfAbsent(to.key(), k -> new CopyOnWriteArrayList<>()).add((int) r.payload[0]);
            }

            @Override
            public void close() {}
        };
        Counts counts = new Counts();
        Replicator replicator = new Replicator(new ReplicatorSettings(10, Duration.ofMinutes(1), 0), counts, factory);
        ReplicaTarget good = target("forward.syslog", 1);
        ReplicaTarget stuck = target("forward.syslog", 9);
        for (int i = 0; i < 100; i++) {
            replicator.replicate(datagram(i, good, stuck));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (received.getOrDefault(good.key(), List.of()).size() <= i && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the good collector keeps up although the other one is stuck
            }
        }
        assertThat(replicator.awaitSent(Duration.ofMillis(300))).as("the stuck collector still holds copies").isFalse();
        assertThat(received.get(good.key())).hasSize(100);
        assertThat(counts.get("syslog", "198.18.2.1:514", "sent")).isEqualTo(100);
        assertThat(counts.get("syslog", "198.18.2.1:514", "bytes")).isEqualTo(300);
        // one copy is being sent (blocked), ten are queued, the rest were dropped
        assertThat(counts.get("syslog", "198.18.2.9:514", "drops")).isEqualTo(89);
        release.countDown();
        assertThat(replicator.awaitSent(Duration.ofSeconds(5))).isTrue();
        assertThat(counts.get("syslog", "198.18.2.9:514", "sent")).isEqualTo(11);
        replicator.close();
    }

    @Test
    void collectorsThatStayAcrossARuleChangeKeepTheirChannelAndLoseNothing() throws Exception {
        Map<String, List<Integer>> received = new ConcurrentHashMap<>();
        Map<String, Integer> opened = new ConcurrentHashMap<>();
        DestinationSender.Factory factory = t -> {
            opened.merge(t.key(), 1, Integer::sum);
            return new DestinationSender() {
                @Override
                public void send(Replica r, ReplicaTarget to) {
                    received.computeIfAbsent(to.key(), k -> new CopyOnWriteArrayList<>()).add((int) r.payload[0]);
                }

                @Override
                public void close() {}
            };
        };
        Replicator replicator = new Replicator(new ReplicatorSettings(1000, Duration.ofMinutes(1), 0), new Counts(), factory);
        ReplicaTarget a = target("forward.a", 1);
        ReplicaTarget b = target("forward.a", 2);
        ReplicaTarget c = target("forward.a", 3);
        for (int i = 0; i < 100; i++) {
            // rules change at 50: b leaves, c arrives; a stays
            replicator.replicate(i < 50 ? datagram(i, a, b) : datagram(i, a, c));
        }
        assertThat(replicator.awaitSent(Duration.ofSeconds(5))).isTrue();
        assertThat(received.get(a.key())).hasSize(100).isSorted();
        assertThat(received.get(b.key())).hasSize(50);
        assertThat(received.get(c.key())).hasSize(50);
        assertThat(opened).containsEntry(a.key(), 1);
        replicator.close();
    }

    @Test
    void countsAnErrorPerCopyWhenACollectorCannotBeOpened() throws Exception {
        Counts counts = new Counts();
        Replicator replicator = new Replicator(new ReplicatorSettings(100, Duration.ofMinutes(1), 0), counts, t -> {
            throw new java.io.IOException("no raw sockets here");
        });
        for (int i = 0; i < 5; i++) {
            replicator.replicate(datagram(i, target("forward.x", 4)));
        }
        assertThat(replicator.awaitSent(Duration.ofSeconds(5))).isTrue();
        assertThat(counts.get("x", "198.18.2.4:514", "errors")).isEqualTo(5);
        assertThat(counts.get("x", "198.18.2.4:514", "sent")).isZero();
        replicator.close();
    }

    @Test
    void closesChannelsNoRuleUsesAnyMore() throws Exception {
        Replicator replicator = new Replicator(new ReplicatorSettings(100, Duration.ofMillis(1), 0), new Counts(), t -> new DestinationSender() {
            @Override
            public void send(Replica r, ReplicaTarget to) {}

            @Override
            public void close() {}
        });
        replicator.replicate(datagram(1, target("forward.a", 1), target("forward.a", 2)));
        assertThat(replicator.channelCount()).isEqualTo(2);
        assertThat(replicator.awaitSent(Duration.ofSeconds(5))).isTrue();
        Thread.sleep(5);
        replicator.closeIdle(System.nanoTime());
        assertThat(replicator.channelCount()).isZero();
        replicator.close();
    }
}
