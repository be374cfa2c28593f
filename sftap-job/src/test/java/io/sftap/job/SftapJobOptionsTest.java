package io.sftap.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.job.flow.FlowAbstractorFunction;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Command-line options of the job parse as documented and refuse bad values clearly. */
class SftapJobOptionsTest {
    private static SftapJobOptions parse(String... args) {
        SftapJobOptions options = new SftapJobOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void stateCacheMemoryIsSizedFromTheHeapUnlessGiven() {
        assertThat(parse().stateCacheMemory).isEqualTo(FlowAbstractorFunction.AUTO_ENCODED_CACHE);
        assertThat(parse("--state-cache-memory", "auto").stateCacheMemory).isEqualTo(FlowAbstractorFunction.AUTO_ENCODED_CACHE);
        assertThat(parse("--state-cache-memory", "0").stateCacheMemory).isZero();
        assertThat(parse("--state-cache-memory", "256m").stateCacheMemory).isEqualTo(256L << 20);
        assertThat(parse("--state-cache-memory", "2g").stateCacheMemory).isEqualTo(2L << 30);
    }

    @Test
    void stateCacheMemoryThatIsNotASizeIsRefusedWithTheAcceptedForms() {
        assertThatThrownBy(() -> parse("--state-cache-memory", "lots"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("not a size (auto, 0, or a number with a unit as 256m or 2g): lots");
    }
}
