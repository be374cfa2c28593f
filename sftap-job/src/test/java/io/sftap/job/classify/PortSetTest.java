package io.sftap.job.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortSetTest {

    @Test
    void parsesListsAndRanges() {
        PortSet p = PortSet.parse(" 53, 5353 ,6881-6889");

        assertThat(p.contains(53)).isTrue();
        assertThat(p.contains(5353)).isTrue();
        assertThat(p.contains(6881)).isTrue();
        assertThat(p.contains(6889)).isTrue();
        assertThat(p.contains(6890)).isFalse();
        assertThat(p.contains(54)).isFalse();
        assertThat(p).hasToString("53,5353,6881-6889");
    }

    @Test
    void anyMatchesEveryFlowAndAListMatchesEitherPort() {
        assertThat(PortSet.ANY.matchesEither(1, 2)).isTrue();
        assertThat(PortSet.parse("514").matchesEither(514, 40000)).isTrue();
        assertThat(PortSet.parse("514").matchesEither(40000, 514)).isTrue();
        assertThat(PortSet.parse("514").matchesEither(40000, 515)).isFalse();
    }

    @Test
    void rejectsMalformedEntries() {
        assertThatThrownBy(() -> PortSet.parse("80,,81")).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> PortSet.parse("http")).hasMessageContaining("'http' in 'http' is not a port");
        assertThatThrownBy(() -> PortSet.parse("90-80")).hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> PortSet.parse("65536")).hasMessageContaining("is not a port");
    }
}
