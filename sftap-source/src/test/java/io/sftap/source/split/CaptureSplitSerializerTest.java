package io.sftap.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Round trips of CaptureSplitSerializer and split state progress. */
class CaptureSplitSerializerTest {
    private final CaptureSplitSerializer serializer = new CaptureSplitSerializer();

    static Stream<CaptureSplit> splits() {
        return Stream.of(
                CaptureSplit.file("file-0", Path.of("/data/a.pcap")),
                CaptureSplit.file("file-17", Path.of("/data/ünïcode ☃/b.pcapng")).withStartingPosition(123_456_789_012L),
                new CaptureSplit("", CaptureSplitKind.FILE, "", Long.MAX_VALUE));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void roundTripsEveryField(CaptureSplit split) throws IOException {
        CaptureSplit back = serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
        assertThat(back).isEqualTo(split);
        assertThat(back.startingPosition()).isEqualTo(split.startingPosition());
        assertThat(back.location()).isEqualTo(split.location());
    }

    @Test
    void refusesUnknownVersionsAndKinds() throws IOException {
        byte[] bytes = serializer.serialize(CaptureSplit.file("file-0", Path.of("/a")));
        assertThatThrownBy(() -> serializer.deserialize(99, bytes)).hasMessageContaining("version 99");
        bytes[4 + "file-0".length()] = 42; // the kind code
        assertThatThrownBy(() -> serializer.deserialize(1, bytes)).hasMessageContaining("kind code 42");
    }

    @Test
    void stateCheckpointsTheOriginalSplitAtItsProgress() {
        CaptureSplit split = CaptureSplit.file("file-3", Path.of("/x.pcap"));
        CaptureSplitState state = new CaptureSplitState(split);
        state.setPosition(4242);
        assertThat(state.toSplit()).isEqualTo(split.withStartingPosition(4242));
        assertThat(state.toSplit().path()).isEqualTo(Path.of("/x.pcap"));
    }
}
