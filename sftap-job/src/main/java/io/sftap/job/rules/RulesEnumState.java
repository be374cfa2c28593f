package io.sftap.job.rules;

import org.apache.flink.annotation.Internal;

/** Checkpoint of the {@link RulesEnumerator}: the rules split if no reader holds it, else null. */
@Internal
public final class RulesEnumState {
    public final RulesSplit unassigned;

    public RulesEnumState(RulesSplit unassigned) {
        this.unassigned = unassigned;
    }
}
