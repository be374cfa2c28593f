package io.sftap.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.live.LiveCaptureOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
                new CaptureSplit("", CaptureSplitKind.FILE, "", Long.MAX_VALUE),
                CaptureSplit.liveInterface("eth1", LiveCaptureOptions.defaults()),
                CaptureSplit.liveInterface("enp3s0f1", new LiveCaptureOptions("tcp port 80 or (udp and not port 53)",
                        9216, 128 << 20, false, true, 7)),
                CaptureSplit.injection(Path.of("/tmp/sf-tap/pcap")));
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
    void readsVersionOneBytesOfFileSplits() throws IOException {
        // Version 1 as the first release wrote it: id, kind code, location, position.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(6);
        out.write("file-2".getBytes(StandardCharsets.UTF_8));
        out.writeByte(1);
        out.writeInt(7);
        out.write("/a.pcap".getBytes(StandardCharsets.UTF_8));
        out.writeLong(4096);
        assertThat(serializer.deserialize(1, bytes.toByteArray()))
                .isEqualTo(CaptureSplit.file("file-2", Path.of("/a.pcap")).withStartingPosition(4096));
        assertThat(serializer.getVersion()).isEqualTo(2);
    }

    @Test
    void keepsLiveKindCodesStable() {
        assertThat(CaptureSplitKind.FILE.code).isEqualTo(1);
        assertThat(CaptureSplitKind.INTERFACE.code).isEqualTo(2);
        assertThat(CaptureSplitKind.INJECT.code).isEqualTo(3);
        assertThat(CaptureSplitKind.FILE.isLive()).isFalse();
        assertThat(CaptureSplitKind.INTERFACE.isLive()).isTrue();
    }

    @Test
    void liveSplitStateIsJustCapturing() {
        CaptureSplit split = CaptureSplit.liveInterface("eth1", LiveCaptureOptions.defaults().withFilter("tcp"));
        CaptureSplitState state = new CaptureSplitState(split);
        state.setPosition(0);
        assertThat(state.toSplit()).isEqualTo(split);
        assertThat(state.toSplit().liveOptions().filter()).isEqualTo("tcp");
        assertThatThrownBy(split::path).hasMessageContaining("not a file");
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
