package io.sftap.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.live.LiveCaptureOptions;
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
        assertThatThrownBy(() -> PacketSource.builder().build()).hasMessageContaining("setFiles")
                .hasMessageContaining("setInterfaces");
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

    @Test
    void buildsAnUnboundedSourceWithOneSplitPerInterfaceAndTheInjectionSocket() {
        LiveCaptureOptions eth2 = LiveCaptureOptions.defaults().withSnaplen(9216).withImmediate(true);
        PacketSource source = PacketSource.builder()
                .setInterfaces("eth1", "eth2")
                .setFilter("tcp or udp")
                .setBufferBytes(64 << 20)
                .setCaptureOptions("eth2", eth2)
                .setInjectionSocket(dir.resolve("home/pcap"))
                .build();
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        LiveCaptureOptions global = LiveCaptureOptions.defaults().withFilter("tcp or udp").withBufferBytes(64 << 20);
        assertThat(source.initialSplits()).containsExactly(
                CaptureSplit.liveInterface("eth1", global),
                CaptureSplit.liveInterface("eth2", eth2),
                CaptureSplit.injection(dir.resolve("home/pcap").toAbsolutePath()));
    }

    @Test
    void refusesBadLiveSettingsWithClearMessages() {
        assertThatThrownBy(() -> PacketSource.builder().setInterfaces("eth1", "eth1").build())
                .hasMessageContaining("eth1 is listed twice");
        assertThatThrownBy(() -> PacketSource.builder().setInterfaces("eth1", " ").build())
                .hasMessageContaining("empty name");
        assertThatThrownBy(() -> PacketSource.builder().setInterfaces("eth1")
                .setCaptureOptions("eth7", LiveCaptureOptions.defaults()).build())
                .hasMessageContaining("eth7, which is not in setInterfaces");
        assertThatThrownBy(() -> PacketSource.builder().setInterfaces("eth1").setSnaplen(10))
                .hasMessageContaining("snaplen");
        assertThatThrownBy(() -> PacketSource.builder().setInterfaces(List.of()).build())
                .hasMessageContaining("nothing to capture");
    }
}
