package io.sftap.source.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of format detection and the error messages for files that are not captures. */
class CaptureFilesTest {
    @TempDir Path dir;

    @Test
    void opensPcapAndPcapngByMagic() throws IOException {
        Path pcap = dir.resolve("a.cap");
        PcapWriter.create(pcap, 1, true).close();
        Path pcapng = dir.resolve("b.cap");
        Files.write(pcapng, new PcapngBuilder().section(ByteOrder.BIG_ENDIAN).build());
        try (CaptureFileReader a = CaptureFiles.open(pcap); CaptureFileReader b = CaptureFiles.open(pcapng)) {
            assertThat(a).isInstanceOf(PcapFileReader.class);
            assertThat(b).isInstanceOf(PcapngFileReader.class);
            assertThat(a.next(new CaptureRecord())).isFalse();
            assertThat(b.next(new CaptureRecord())).isFalse();
            assertThat(a.malformedRecords() + b.malformedRecords()).isZero();
        }
    }

    @Test
    void namesAMissingFile() {
        Path missing = dir.resolve("nope.pcap");
        assertThatThrownBy(() -> CaptureFiles.open(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nope.pcap")
                .hasMessageContaining("not found");
    }

    @Test
    void saysWhatTheFirstBytesOfAForeignFileAre() throws IOException {
        Path text = dir.resolve("rules.yaml");
        Files.writeString(text, "global:\n");
        assertThatThrownBy(() -> CaptureFiles.open(text))
                .hasMessageContaining("is not pcap or pcapng")
                .hasMessageContaining("67 6c 6f 62");
        Path gz = dir.resolve("x.pcap.gz");
        Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0});
        assertThatThrownBy(() -> CaptureFiles.open(gz)).hasMessageContaining("gzip");
    }

    @Test
    void refusesTooShortAndTruncatedHeaders() throws IOException {
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {(byte) 0xd4, (byte) 0xc3});
        assertThatThrownBy(() -> CaptureFiles.open(tiny)).hasMessageContaining("too short").hasMessageContaining("2 bytes");
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0});
        assertThatThrownBy(() -> CaptureFiles.open(cut)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> CaptureFiles.open(dir)).hasMessageContaining("not a regular file");
    }
}
