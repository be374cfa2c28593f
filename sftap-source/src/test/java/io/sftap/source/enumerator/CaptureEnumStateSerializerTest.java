package io.sftap.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.split.CaptureSplit;
import io.sftap.source.live.LiveCaptureOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round trips of CaptureEnumStateSerializer. */
class CaptureEnumStateSerializerTest {
    private final CaptureEnumStateSerializer serializer = new CaptureEnumStateSerializer();

    @Test
    void roundTripsPendingSplitsInOrder() throws IOException {
        for (CaptureEnumState state : List.of(
                new CaptureEnumState(List.of()),
                new CaptureEnumState(List.of(
                        CaptureSplit.file("file-2", Path.of("/c.pcap")),
                        CaptureSplit.file("file-0", Path.of("/a.pcapng")).withStartingPosition(77))))) {
            CaptureEnumState back = serializer.deserialize(CaptureEnumStateSerializer.CURRENT_VERSION, serializer.serialize(state));
            assertThat(back.pendingSplits()).containsExactlyElementsOf(state.pendingSplits());
        }
    }

    @Test
    void roundTripsLiveSplitsAndTheLiveSplitsHandedOut() throws IOException {
        CaptureEnumState state = new CaptureEnumState(
                List.of(CaptureSplit.file("file-0", Path.of("/a.pcap")),
                        CaptureSplit.liveInterface("eth2", LiveCaptureOptions.defaults().withFilter("udp"))),
                Set.of("iface-eth1", "inject"));
        CaptureEnumState back = serializer.deserialize(serializer.getVersion(), serializer.serialize(state));
        assertThat(back).isEqualTo(state);
        assertThat(back.assignedLiveSplitIds()).containsExactlyInAnyOrder("iface-eth1", "inject");
    }

    @Test
    void readsVersionOneStateWithNoLiveSplitsHandedOut() throws IOException {
        // Version 1 had no handed-out ids; its splits were version-1 file splits.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1); // split serializer version
        out.writeInt(1);
        ByteArrayOutputStream split = new ByteArrayOutputStream();
        DataOutputStream s = new DataOutputStream(split);
        s.writeInt(6);
        s.write("file-0".getBytes(StandardCharsets.UTF_8));
        s.writeByte(1);
        s.writeInt(2);
        s.write("/a".getBytes(StandardCharsets.UTF_8));
        s.writeLong(9);
        out.writeInt(split.size());
        out.write(split.toByteArray());
        CaptureEnumState back = serializer.deserialize(1, bytes.toByteArray());
        assertThat(back.pendingSplits()).containsExactly(CaptureSplit.file("file-0", Path.of("/a")).withStartingPosition(9));
        assertThat(back.assignedLiveSplitIds()).isEmpty();
    }

    @Test
    void refusesUnknownVersion() throws IOException {
        byte[] bytes = serializer.serialize(new CaptureEnumState(List.of()));
        assertThatThrownBy(() -> serializer.deserialize(99, bytes)).hasMessageContaining("version 99");
    }
}
