package io.sftap.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Builder defaults and sanity checks. */
class UnixSocketSinkBuilderTest {

    @Test
    void buildsSerializableSinkWithDefaults() throws Exception {
        UnixSocketSink sink = UnixSocketSink.builder().setSockets(List.of("tcp/http", "udp/dns", "tcp/http")).build();
        UnixSocketSink copy = InstantiationUtil.clone(sink);

        assertThat(copy.home()).isEqualTo("/tmp/sf-tap");
        assertThat(copy.sockets()).containsExactly("tcp/http", "udp/dns");
        assertThat(copy.connectionBufferBytes()).isEqualTo(4 << 20);
        assertThat(copy.waitForAnalyzers()).isNull();
        assertThat(copy.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(copy.group()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../escape", "tcp/../../escape", "", " ", "."})
    void refusesSocketPathsOutsideTheHome(String socket) {
        assertThatThrownBy(() -> UnixSocketSink.builder().setHome(Paths.get("/tmp/h")).setSockets(List.of(socket)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("socket path");
    }

    @Test
    void refusesNonPositiveBufferAndNegativeDurations() {
        assertThatThrownBy(() -> UnixSocketSink.builder().setConnectionBufferBytes(0).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connection buffer");
        assertThatThrownBy(() -> UnixSocketSink.builder().setWaitForAnalyzers(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("waitForAnalyzers");
        assertThatThrownBy(() -> UnixSocketSink.builder().setDrainTimeout(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("drainTimeout");
    }
}
