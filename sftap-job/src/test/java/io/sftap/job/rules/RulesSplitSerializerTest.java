package io.sftap.job.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Round trips of the rules source's checkpointed split and enumerator state. */
class RulesSplitSerializerTest {
    final RulesSplitSerializer serializer = new RulesSplitSerializer();

    @Test
    void splitsRoundTripWithAndWithoutRules() throws IOException {
        for (RulesSplit split : new RulesSplit[] {
            RulesSplit.initial(),
            new RulesSplit(42, "web:\n  if: web\n  proto: TCP\n  port: 80\n", "/etc/sftap/fabs.yaml — ü",
                    RulesSplit.Origin.PUSH, Set.of(0, 3))
        }) {
            assertThat(serializer.deserialize(RulesSplitSerializer.CURRENT_VERSION, serializer.serialize(split))).isEqualTo(split);
        }
    }

    @Test
    void enumeratorStateRoundTrips() throws IOException {
        RulesEnumStateSerializer s = new RulesEnumStateSerializer();
        assertThat(s.deserialize(1, s.serialize(new RulesEnumState(null))).unassigned).isNull();
        RulesSplit split = new RulesSplit(2, "x: 1\n", "f", RulesSplit.Origin.FILE, Set.of());
        assertThat(s.deserialize(1, s.serialize(new RulesEnumState(split))).unassigned).isEqualTo(split);
    }

    @Test
    void unknownVersionsAreRefused() {
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[8])).isInstanceOf(IOException.class)
                .hasMessageContaining("version 2");
    }
}
