package io.sftap.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Socket ownership across sink subtasks. */
class SocketPartitionerTest {
    private final SocketPartitioner partitioner = new SocketPartitioner();
    private final List<String> sockets = List.of("tcp/http", "tcp/http_proxy", "udp/dns", "udp/syslog",
            "tcp/default", "udp/default", "tcp/ssh", "tcp/tls", "tcp/smtp", "icmp/ping");

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64})
    void everySocketHasExactlyOneOwnerInRange(int parallelism) {
        for (String s : sockets) {
            int owner = partitioner.partition(s, parallelism);
            assertThat(owner).isBetween(0, parallelism - 1);
            int owners = 0;
            for (int i = 0; i < parallelism; i++) {
                owners += partitioner.owns(s, i, parallelism) ? 1 : 0;
            }
            assertThat(owners).as("owners of %s", s).isEqualTo(1);
        }
    }

    @Test
    void ownerSurvivesSerializationAndNewInstances() throws Exception {
        SocketPartitioner copy = InstantiationUtil.clone(partitioner);
        for (String s : sockets) {
            assertThat(copy.partition(new String(s.toCharArray()), 5)).isEqualTo(partitioner.partition(s, 5));
            assertThat(new SocketPartitioner().partition(s, 5)).isEqualTo(partitioner.partition(s, 5));
        }
    }

    @Test
    void spreadsBalancedSocketsOverAllSubtasks() {
        Set<Integer> owners = new HashSet<>();
        for (int slot = 0; slot < 4; slot++) {
            owners.add(partitioner.partition("tcp/http" + slot, 4));
        }
        assertThat(owners).containsExactlyInAnyOrder(0, 1, 2, 3);
    }
}
