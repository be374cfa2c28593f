package io.sftap.source.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.pcap.CaptureRecord;
import io.sftap.source.pcap.PcapWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests of PcapStreamParser: byte orders, precisions, arbitrary chunking, malformed streams. */
class PcapStreamParserTest {
    private static final long T0 = 1_700_000_000_123_456_000L;

    static byte[] stream(ByteOrder order, boolean nanos, int linkType, int frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, linkType, nanos, order)) {
            for (int i = 0; i < frames; i++) {
                w.write(T0 + i * 1_000L, frame(i));
            }
        }
        return out.toByteArray();
    }

    static byte[] frame(int i) {
        byte[] f = new byte[60 + (i * 37) % 1400];
        Arrays.fill(f, (byte) i);
        return f;
    }

    @ParameterizedTest(name = "{0} nanos={1} chunk={2}")
    @CsvSource({
        "BIG_ENDIAN, false, 1", "BIG_ENDIAN, true, 7", "LITTLE_ENDIAN, false, 4096", "LITTLE_ENDIAN, true, 100000",
        "LITTLE_ENDIAN, false, 23"})
    void parsesEveryRecordWhateverTheChunking(String order, boolean nanos, int chunk) throws IOException {
        ByteOrder bo = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] bytes = stream(bo, nanos, 1, 40);
        PcapStreamParser parser = new PcapStreamParser();
        List<byte[]> frames = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        CaptureRecord r = new CaptureRecord();
        for (int at = 0; at < bytes.length; ) {
            ByteBuffer target = parser.fillTarget();
            int n = Math.min(Math.min(chunk, target.remaining()), bytes.length - at);
            target.put(bytes, at, n);
            parser.filled(n);
            at += n;
            while (parser.next(r)) {
                assertThat(r.linkType).isEqualTo(1);
                frames.add(Arrays.copyOfRange(r.data, r.offset, r.offset + r.length));
                times.add(r.timestampNanos);
            }
        }
        assertThat(parser.inMiddleOfRecord()).isFalse();
        assertThat(frames).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(frames.get(i)).isEqualTo(frame(i));
            long want = T0 + i * 1_000L;
            assertThat(times.get(i)).isEqualTo(nanos ? want : want / 1000 * 1000);
        }
    }

    @Test
    void refusesWhatIsNotPcap() {
        PcapStreamParser parser = feed(new PcapStreamParser(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        assertThatThrownBy(() -> parser.next(new CaptureRecord())).hasMessageContaining("not a pcap stream");
    }

    @Test
    void refusesImpossibleRecordLengths() throws IOException {
        byte[] bytes = stream(ByteOrder.LITTLE_ENDIAN, false, 1, 1);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8, 10_000_000); // caplen
        PcapStreamParser parser = feed(new PcapStreamParser(), bytes);
        assertThatThrownBy(() -> parser.next(new CaptureRecord())).hasMessageContaining("captured bytes");
    }

    @Test
    void waitsForTheRestOfACutRecord() throws IOException {
        byte[] bytes = stream(ByteOrder.BIG_ENDIAN, true, 101, 2);
        PcapStreamParser parser = feed(new PcapStreamParser(), Arrays.copyOf(bytes, bytes.length - 1));
        CaptureRecord r = new CaptureRecord();
        assertThat(parser.next(r)).isTrue();
        assertThat(r.linkType).isEqualTo(101);
        assertThat(parser.next(r)).isFalse();
        assertThat(parser.inMiddleOfRecord()).isTrue();
        assertThat(parser.records()).isEqualTo(1);
    }

    private static PcapStreamParser feed(PcapStreamParser parser, byte[] bytes) {
        for (int at = 0; at < bytes.length; ) {
            ByteBuffer target = parser.fillTarget();
            int n = Math.min(target.remaining(), bytes.length - at);
            target.put(bytes, at, n);
            parser.filled(n);
            at += n;
        }
        return parser;
    }
}
