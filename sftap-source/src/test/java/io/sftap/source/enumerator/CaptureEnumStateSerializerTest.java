package io.sftap.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.split.CaptureSplit;
import java.io.IOException;
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
    void refusesUnknownVersion() throws IOException {
        byte[] bytes = serializer.serialize(new CaptureEnumState(List.of()));
        assertThatThrownBy(() -> serializer.deserialize(99, bytes)).hasMessageContaining("version 99");
    }
}
