package io.sftap.job.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Validation, versions and end-of-replay bookkeeping of {@link RulesIntake}. */
class RulesIntakeTest {
    static final String GOOD = "web:\n  proto: TCP\n  if: web\n  port: 80\n";
    static final String OTHER = "web:\n  proto: TCP\n  if: web\n  port: 8080\n";
    static final String BAD = "web:\n  proto: TCP\n  if: web\n  port: 80\n\nbroken:\n  up: '(x'\n  down: ''\n  proto: TCP\n  if: b\n";

    final AtomicInteger changes = new AtomicInteger();

    @Test
    void acceptedRulesGetIncreasingVersionsAfterTheRestoredOnes() {
        RulesIntake intake = new RulesIntake(new RulesSplit(7, GOOD, "a.yaml", RulesSplit.Origin.FILE, Set.of()),
                changes::incrementAndGet);
        assertThat(intake.submit(OTHER, "b.yaml", RulesSplit.Origin.PUSH)).isEqualTo("OK v8");
        assertThat(intake.submit(GOOD, "a.yaml", RulesSplit.Origin.PUSH)).isEqualTo("OK v9");
        RulesSplit first = intake.poll();
        assertThat(first.version).isEqualTo(8);
        assertThat(first.text).isEqualTo(OTHER);
        assertThat(first.origin).isEqualTo(RulesSplit.Origin.PUSH);
        assertThat(intake.poll().version).isEqualTo(9);
        assertThat(intake.poll()).isNull();
        assertThat(changes).hasValue(2);
    }

    @Test
    void unchangedRulesAreAcceptedWithoutANewVersion() {
        RulesIntake intake = new RulesIntake(new RulesSplit(3, GOOD, "a.yaml", RulesSplit.Origin.FILE, Set.of()), () -> {});
        assertThat(intake.submit(GOOD, "a.yaml", RulesSplit.Origin.FILE)).isEqualTo("OK v3 (unchanged)");
        assertThat(intake.hasQueued()).isFalse();
    }

    @Test
    void badRulesAreRefusedWithFileLineRuleAndReasonAndNothingChanges() {
        RulesIntake intake = new RulesIntake(RulesSplit.initial(), changes::incrementAndGet);
        String reply = intake.submit(BAD, "bad.yaml", RulesSplit.Origin.PUSH);
        assertThat(reply).matches("ERROR bad\\.yaml:7: rule 'broken': .+");
        assertThat(intake.hasQueued()).isFalse();
        assertThat(changes).hasValue(0);
        assertThat(intake.submit(GOOD, "a.yaml", RulesSplit.Origin.FILE)).isEqualTo("OK v1");
    }

    @Test
    void capturesEndWhenEverySubtaskReportedOnceEvenRepeatedly() {
        RulesIntake intake = new RulesIntake(new RulesSplit(1, GOOD, "a", RulesSplit.Origin.FILE, Set.of(1)), () -> {});
        assertThat(intake.capturesEnded()).isFalse();
        intake.end(1, 3);
        intake.end(0, 3);
        assertThat(intake.capturesEnded()).isFalse();
        assertThat(intake.end(2, 3)).isEqualTo("OK end 2/3");
        assertThat(intake.capturesEnded()).isTrue();
        assertThat(intake.endedCaptures()).containsExactlyInAnyOrder(0, 1, 2);
    }
}
