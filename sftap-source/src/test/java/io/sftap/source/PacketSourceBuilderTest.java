package io.sftap.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.split.CaptureSplit;
import io.sftap.source.typeinfo.PacketTypeInfoFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of PacketSourceBuilder settings and its sanity checks. */
class PacketSourceBuilderTest {
    @TempDir Path dir;

    @Test
    void buildsOneFileSplitPerFileInOrder() throws IOException {
        Path a = dir.resolve("a.pcap");
        Path b = dir.resolve("b.pcap");
        SampleCaptures.write(a, "a", 1, 0);
        SampleCaptures.write(b, "b", 1, 0);
        PacketSource source = PacketSource.builder().setFiles(b, a).setFramesPerBatch(7).build();
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(source.framesPerBatch()).isEqualTo(7);
        assertThat(source.initialSplits()).containsExactly(
                CaptureSplit.file("file-0", b.toAbsolutePath()), CaptureSplit.file("file-1", a.toAbsolutePath()));
        TypeInformation<?> type = source.getProducedType();
        assertThat(type).isEqualTo(PacketTypeInfoFactory.TYPE);
    }

    @Test
    void refusesBadSettingsWithClearMessages() throws IOException {
        Path good = dir.resolve("good.pcap");
        SampleCaptures.write(good, "g", 1, 0);
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> PacketSource.builder().build()).hasMessageContaining("setFiles");
        assertThatThrownBy(() -> PacketSource.builder().setFiles(List.of()).build()).hasMessageContaining("empty");
        assertThatThrownBy(() -> PacketSource.builder().setFiles(dir.resolve("missing.pcap")).build())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("missing.pcap")
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> PacketSource.builder().setFiles(text).build()).hasMessageContaining("not pcap or pcapng");
        assertThatThrownBy(() -> PacketSource.builder().setFiles(good, good).build()).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> PacketSource.builder().setFiles(good).setFramesPerBatch(0).build())
                .hasMessageContaining("framesPerBatch");
    }
}
