package io.sftap.source.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of PcapngFileReader over hand-built pcapng files. */
class PcapngFileReaderTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_600_000_000L;

    @TempDir Path dir;

    /** What one record should look like. */
    record Want(int linkType, int interfaceId, long timestampNanos, byte[] data, int originalLength) {}

    @Test
    void readsInterfacesWithOwnLinkTypesAndResolutionsAcrossSections() throws IOException {
        byte[] a = frame(1, 60);
        byte[] b = frame(2, 33);
        byte[] c = frame(3, 41);
        byte[] d = frame(4, 20);
        byte[] e = frame(5, 10);
        PcapngBuilder file = new PcapngBuilder()
                .section(ByteOrder.LITTLE_ENDIAN)
                .iface(1, 65535, -1, 0) // microseconds by default
                .iface(113, 0, 9, 0) // nanoseconds
                .unknown(5, 24) // interface statistics: skipped
                .enhanced(0, T0 * 1_000_000 + 250, a, 60)
                .enhanced(1, T0 * SECOND + 7, b, 1500)
                .section(ByteOrder.BIG_ENDIAN)
                .iface(101, 0, 0x80 | 10, 3600) // 2^-10 s units, one hour offset
                .obsoletePacket(0, (T0 << 10) | 512, c)
                .iface(276, 0, 3, 0) // milliseconds
                .enhanced(1, T0 * 1000 + 9, d, 20)
                .simple(e, 10);
        List<Want> got = readAll(write(file));
        assertThat(got).usingRecursiveFieldByFieldElementComparator().containsExactly(
                new Want(1, 0, T0 * SECOND + 250_000, a, 60),
                new Want(113, 1, T0 * SECOND + 7, b, 1500),
                new Want(101, 0, (T0 + 3600) * SECOND + 500_000_000, c, 41),
                new Want(276, 1, T0 * SECOND + 9_000_000, d, 20),
                // A simple packet block belongs to interface 0 and reuses the last timestamp.
                new Want(101, 0, T0 * SECOND + 9_000_000, e, 10));
    }

    @Test
    void simplePacketIsCutToTheSnapLengthOfInterfaceZero() throws IOException {
        byte[] data = frame(9, 100);
        PcapngBuilder file = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN).iface(1, 64, -1, 0).simple(data, 100);
        List<Want> got = readAll(write(file));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).data()).isEqualTo(Arrays.copyOf(data, 64));
        assertThat(got.get(0).originalLength()).isEqualTo(100);
    }

    @Test
    void resumesAtAnyRecordPositionAcrossSections() throws IOException {
        PcapngBuilder builder = new PcapngBuilder().section(ByteOrder.BIG_ENDIAN).iface(1, 0, 9, 0);
        for (int i = 0; i < 4; i++) {
            builder.enhanced(0, T0 * SECOND + i, frame(i, 30 + i), 30 + i);
        }
        builder.section(ByteOrder.LITTLE_ENDIAN).iface(228, 0, -1, 0).iface(1, 0, 9, 0);
        for (int i = 4; i < 8; i++) {
            builder.enhanced(1, T0 * SECOND + i, frame(i, 30 + i), 30 + i);
        }
        Path path = write(builder);
        List<Want> all = readAll(path);
        List<Long> positions = new ArrayList<>();
        try (CaptureFileReader reader = new PcapngFileReader(path)) {
            CaptureRecord r = new CaptureRecord();
            positions.add(reader.position());
            while (reader.next(r)) {
                positions.add(reader.position());
            }
        }
        for (int k = 0; k < positions.size(); k++) {
            try (CaptureFileReader reader = new PcapngFileReader(path)) {
                reader.seek(positions.get(k));
                assertThat(drain(reader)).usingRecursiveFieldByFieldElementComparator()
                        .containsExactlyElementsOf(all.subList(k, all.size()));
            }
        }
    }

    @Test
    void readsThroughSmallMappingWindows() throws IOException {
        PcapngBuilder builder = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1, 0);
        for (int i = 0; i < 50; i++) {
            builder.enhanced(0, i, frame(i, 100 + i), 100 + i);
        }
        Path path = write(builder);
        try (CaptureFileReader small = new PcapngFileReader(path, 256)) {
            assertThat(drain(small)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(readAll(path));
        }
        assertThat(readAll(path)).hasSize(50);
    }

    @Test
    void seekRejectsAnOffsetInsideABlock() throws IOException {
        Path path = write(new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1, 0).enhanced(0, 1, frame(1, 40), 40));
        try (CaptureFileReader reader = new PcapngFileReader(path)) {
            assertThatThrownBy(() -> reader.seek(30)).isInstanceOf(IOException.class).hasMessageContaining("not the start of a block");
        }
    }

    @Test
    void endsFileAtMalformedBlocksAndCountsThem() throws IOException {
        PcapngBuilder good = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1, 0).enhanced(0, 1, frame(1, 40), 40);
        byte[] badTrailer = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1, 0).enhanced(0, 2, frame(2, 40), 40).build();
        ByteBuffer.wrap(badTrailer).order(ByteOrder.LITTLE_ENDIAN).putInt(badTrailer.length - 4, 999);
        byte[] blockLengthPastEnd = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(6).putInt(4096).putInt(0).array();
        byte[] oddLength = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(6).putInt(15).putInt(0).putInt(15).array();
        byte[][] tails = {
            Arrays.copyOfRange(badTrailer, 28, badTrailer.length), // drop the section header, keep iface + bad EPB
            blockLengthPastEnd,
            oddLength,
            new PcapngBuilder().enhanced(7, 1, frame(3, 40), 40).build(), // undeclared interface
            new byte[] {6, 0, 0}, // truncated block header
        };
        for (byte[] tail : tails) {
            Path path = write(new PcapngBuilder().raw(good.build()).raw(tail));
            try (CaptureFileReader reader = new PcapngFileReader(path)) {
                assertThat(drain(reader)).hasSize(1);
                assertThat(reader.malformedRecords()).isEqualTo(1);
                assertThat(reader.next(new CaptureRecord())).isFalse();
                assertThat(reader.malformedRecords()).isEqualTo(1);
            }
        }
    }

    @Test
    void refusesFilesWithoutAValidSectionHeader() throws IOException {
        byte[] shb = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN).build();
        byte[] badMagic = shb.clone();
        badMagic[8] = 0x11;
        Path path = dir.resolve("bad.pcapng");
        Files.write(path, badMagic);
        assertThatThrownBy(() -> new PcapngFileReader(path)).hasMessageContaining("byte-order magic");
        Files.write(path, Arrays.copyOf(shb, 20));
        assertThatThrownBy(() -> new PcapngFileReader(path)).hasMessageContaining("truncated");
    }

    static byte[] frame(int seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    private Path write(PcapngBuilder builder) throws IOException {
        Path path = Files.createTempFile(dir, "t", ".pcapng");
        Files.write(path, builder.build());
        return path;
    }

    private static List<Want> readAll(Path path) throws IOException {
        try (CaptureFileReader reader = CaptureFiles.open(path)) {
            return drain(reader);
        }
    }

    static List<Want> drain(CaptureFileReader reader) throws IOException {
        List<Want> got = new ArrayList<>();
        CaptureRecord r = new CaptureRecord();
        while (reader.next(r)) {
            got.add(new Want(r.linkType, r.interfaceId, r.timestampNanos,
                    Arrays.copyOfRange(r.data, r.offset, r.offset + r.length), r.originalLength));
        }
        return got;
    }
}
