package io.sftap.job.flow;

import static io.sftap.job.flow.StoredFlowKeysTest.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.FlowKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator's own flow-key hash tells apart keys that FlowKey.hashCode confuses. */
class FlowKeyHashTest {
    @Test
    void tellsApartKeysWhoseHashCodesCollide() {
        // hashCode weighs the first address's last byte by 31^3 and the first port by 31, so
        // (10.0.0.1, p) and (10.0.0.0, p + 961) collide.
        Set<Integer> hashCodes = new HashSet<>();
        Set<Long> hashes = new HashSet<>();
        for (int p = 0; p < 20000; p++) {
            for (FlowKey k : List.of(client(1, 1024 + p), client(0, 1024 + p + 961))) {
                hashCodes.add(k.hashCode());
                hashes.add(FlowKeyHash.of(k));
            }
        }
        assertThat(hashCodes).as("FlowKey.hashCode, kept for key groups").hasSize(20000);
        assertThat(hashes).hasSize(40000);
    }
}
