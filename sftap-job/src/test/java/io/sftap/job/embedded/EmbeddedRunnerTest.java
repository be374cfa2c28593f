package io.sftap.job.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The embedded runner's defaults. */
class EmbeddedRunnerTest {
    @Test
    void defaultParallelismIsOneFlowAbstractorPerCore() {
        assertThat(EmbeddedRunner.defaultParallelism(2)).isEqualTo(2);
        assertThat(EmbeddedRunner.defaultParallelism(8)).isEqualTo(8);
    }

    @Test
    void defaultParallelismIsAtLeastOne() {
        assertThat(EmbeddedRunner.defaultParallelism(1)).isEqualTo(1);
        assertThat(EmbeddedRunner.defaultParallelism(0)).isEqualTo(1);
    }
}
