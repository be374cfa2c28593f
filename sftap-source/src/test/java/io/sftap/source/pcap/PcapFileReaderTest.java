package io.sftap.source.pcap;

import static io.sftap.source.pcap.PcapngFileReaderTest.drain;
import static io.sftap.source.pcap.PcapngFileReaderTest.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.pcap.PcapngFileReaderTest.Want;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tests of PcapFileReader: byte orders, precisions, resume positions, malformed records. */
class PcapFileReaderTest {
    private static final long T0 = 1_600_000_000_123_456_789L;

    @TempDir Path dir;

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(ByteOrder.LITTLE_ENDIAN, false),
                Arguments.of(ByteOrder.LITTLE_ENDIAN, true),
                Arguments.of(ByteOrder.BIG_ENDIAN, false),
                Arguments.of(ByteOrder.BIG_ENDIAN, true));
    }

    @ParameterizedTest(name = "{0} nanosecond={1}")
    @MethodSource("formats")
    void readsWhatTheWriterWrote(ByteOrder order, boolean nanosecond) throws IOException {
        List<Want> written = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, 113, nanosecond, order)) {
            for (int i = 0; i < 5; i++) {
                byte[] f = frame(i, 40 + 13 * i);
                long ts = T0 + i * 1_000_001L;
                int original = i == 3 ? 1500 : f.length;
                w.write(ts, f, 0, f.length, original);
                written.add(new Want(113, 0, nanosecond ? ts : ts / 1000 * 1000, f, original));
            }
        }
        Path path = dir.resolve("t.pcap");
        Files.write(path, bytes.toByteArray());
        try (CaptureFileReader reader = CaptureFiles.open(path)) {
            assertThat(reader).isInstanceOf(PcapFileReader.class);
            assertThat(((PcapFileReader) reader).isNanosecond()).isEqualTo(nanosecond);
            assertThat(drain(reader)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(written);
            assertThat(reader.malformedRecords()).isZero();
        }
    }

    @Test
    void resumesAtEveryRecordPosition() throws IOException {
        Path path = writeFrames(6);
        List<Want> all;
        List<Long> positions = new ArrayList<>();
        try (CaptureFileReader reader = new PcapFileReader(path)) {
            positions.add(reader.position());
            CaptureRecord r = new CaptureRecord();
            while (reader.next(r)) {
                positions.add(reader.position());
            }
            reader.seek(0);
            all = drain(reader);
        }
        assertThat(all).hasSize(6);
        assertThat(positions).startsWith(0L + PcapFileReader.FILE_HEADER).endsWith(Files.size(path));
        for (int k = 0; k < positions.size(); k++) {
            try (CaptureFileReader reader = new PcapFileReader(path)) {
                reader.seek(positions.get(k));
                assertThat(drain(reader)).usingRecursiveFieldByFieldElementComparator()
                        .containsExactlyElementsOf(all.subList(k, all.size()));
            }
        }
    }

    @Test
    void readsRecordsThatStraddleMappingWindows() throws IOException {
        Path path = writeFrames(40);
        try (CaptureFileReader small = new PcapFileReader(path, 100);
                CaptureFileReader whole = new PcapFileReader(path)) {
            assertThat(drain(small)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(drain(whole));
        }
    }

    @Test
    void seekOutsideTheRecordsFails() throws IOException {
        Path path = writeFrames(1);
        try (CaptureFileReader reader = new PcapFileReader(path)) {
            assertThatThrownBy(() -> reader.seek(10)).hasMessageContaining("cannot seek");
            assertThatThrownBy(() -> reader.seek(Files.size(path) + 1)).hasMessageContaining("cannot seek");
        }
    }

    @Test
    void impossibleCapturedLengthEndsTheFileAndIsCounted() throws IOException {
        Path path = writeFrames(3);
        byte[] b = Files.readAllBytes(path);
        int second = PcapFileReader.FILE_HEADER + 16 + 40;
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(second + 8, 300_000);
        Files.write(path, b);
        assertEndsAfter(path, 1);
    }

    @Test
    void truncatedLastRecordEndsTheFileAndIsCounted() throws IOException {
        Path path = writeFrames(3);
        byte[] b = Files.readAllBytes(path);
        Files.write(path, Arrays.copyOf(b, b.length - 5));
        assertEndsAfter(path, 2);
        Files.write(path, Arrays.copyOf(b, b.length - 40 - 6)); // 10 bytes of the last record header
        assertEndsAfter(path, 2);
    }

    private void assertEndsAfter(Path path, int records) throws IOException {
        try (CaptureFileReader reader = new PcapFileReader(path)) {
            assertThat(drain(reader)).hasSize(records);
            assertThat(reader.malformedRecords()).isEqualTo(1);
            assertThat(reader.next(new CaptureRecord())).isFalse();
            assertThat(reader.malformedRecords()).isEqualTo(1);
        }
    }

    /** Frames of 40 bytes each, little-endian microsecond file. */
    private Path writeFrames(int n) throws IOException {
        Path path = Files.createTempFile(dir, "f", ".pcap");
        try (PcapWriter w = PcapWriter.create(path, 1, false)) {
            for (int i = 0; i < n; i++) {
                w.write(T0 + i * 1000L, frame(i, 40));
            }
        }
        return path;
    }
}
