package io.sftap.job.reassembly;

import static io.sftap.job.reassembly.SegmentScript.c;
import static io.sftap.job.reassembly.SegmentScript.s;
import static io.sftap.source.wire.Direction.FROM_ENDPOINT1;
import static io.sftap.source.wire.Direction.FROM_ENDPOINT2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.job.reassembly.SegmentScript.Recorder;
import io.sftap.job.reassembly.SegmentScript.Seg;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

class TcpConnectionCodecTest {
    private final TcpReassembler reassembler = new TcpReassembler(ReassemblyLimits.defaults());

    /** Queues data in both directions (client across the 2^32 wrap), with a pending FIN. */
    private static final List<Seg> BEFORE =
            List.of(
                    c("S", 0xFFFFFFF0L, 0, ""),
                    s("SA", 5000, 0xFFFFFFF1L, ""),
                    c("PA", 0xFFFFFFF1L, 5001, "ab"),
                    c("PA", 0xFFFFFFF5L, 5001, "ef"),
                    c("PA", 1, 5001, "wrapped"),
                    s("PA", 5010, 0xFFFFFFF3L, "later"),
                    s("FA", 5015, 0xFFFFFFF3L, ""));

    private static final List<Seg> AFTER =
            List.of(
                    c("PA", 0xFFFFFFF3L, 5001, "cd"),
                    s("PA", 5001, 0xFFFFFFF3L, "012345678"),
                    c("PA", 0xFFFFFFF7L, 5001, "ghijklmnop"),
                    c("FA", 8, 5016, ""));

    private static byte[] encode(TcpConnection conn) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TcpConnectionCodec.write(conn, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static TcpConnection decode(byte[] bytes) throws IOException {
        return TcpConnectionCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void roundTripKeepsQueuedSegmentsOfBothDirections() throws IOException {
        TcpConnection original = new TcpConnection();
        Recorder untouched = new Recorder();
        SegmentScript.feed(reassembler, original, BEFORE, untouched);
        assertThat(original.queuedSegments(FROM_ENDPOINT1)).isEqualTo(2);
        assertThat(original.queuedSegments(FROM_ENDPOINT2)).isEqualTo(1);

        byte[] encoded = encode(original);
        TcpConnection restored = decode(encoded);

        assertThat(encode(restored)).isEqualTo(encoded);
        assertThat(restored.queuedBytes()).isEqualTo(original.queuedBytes());
        assertThat(restored.sawSyn(FROM_ENDPOINT1)).isTrue();

        Recorder fromRestored = new Recorder();
        TcpStatus status = SegmentScript.feed(reassembler, restored, AFTER, fromRestored);
        TcpStatus statusOriginal = SegmentScript.feed(reassembler, original, AFTER, untouched);

        assertThat(fromRestored.of(FROM_ENDPOINT1)).isEqualTo("cdefghijklmnopwrapped");
        assertThat(fromRestored.of(FROM_ENDPOINT2)).isEqualTo("012345678later");
        assertThat(status).isEqualTo(statusOriginal).isEqualTo(TcpStatus.CLOSED);
    }

    @Test
    void readsLayoutOneAsTheFirstReleaseWroteIt() throws IOException {
        TcpConnection original = new TcpConnection();
        Recorder untouched = new Recorder();
        SegmentScript.feed(reassembler, original, BEFORE, untouched);
        ByteArrayOutputStream layoutOne = new ByteArrayOutputStream();
        TcpConnectionLayoutOne.write(original, new DataOutputStream(layoutOne));

        TcpConnection restored = decode(layoutOne.toByteArray());

        assertThat(encode(restored)).isEqualTo(encode(original));
        Recorder fromRestored = new Recorder();
        assertThat(SegmentScript.feed(reassembler, restored, AFTER, fromRestored)).isEqualTo(TcpStatus.CLOSED);
        assertThat(fromRestored.of(FROM_ENDPOINT1)).isEqualTo("cdefghijklmnopwrapped");
        assertThat(fromRestored.of(FROM_ENDPOINT2)).isEqualTo("012345678later");
    }

    @Test
    void openConnectionTakesUnderTwoThirdsOfLayoutOne() throws IOException {
        TcpConnection open = new TcpConnection();
        SegmentScript.feed(reassembler, open, List.of(
                c("S", 0x7FFFFFF0L, 0, ""),
                s("SA", 0xFFFFFF00L, 0x7FFFFFF1L, ""),
                c("PA", 0x7FFFFFF1L, 0xFFFFFF01L, "GET / HTTP/1.0\r\n\r\n"),
                s("PA", 0xFFFFFF01L, 0x80000003L, "HTTP/1.0 200 OK\r\n\r\n")), new Recorder());
        ByteArrayOutputStream layoutOne = new ByteArrayOutputStream();
        TcpConnectionLayoutOne.write(open, new DataOutputStream(layoutOne));

        assertThat(layoutOne.size()).isEqualTo(30);
        assertThat(encode(open)).hasSizeLessThanOrEqualTo(20);
        assertThat(encode(decode(encode(open)))).isEqualTo(encode(open));
    }

    @Test
    void idleConnectionIsTiny() throws IOException {
        assertThat(encode(new TcpConnection())).hasSize(6);
    }

    @Test
    void rejectsUnknownVersion() throws IOException {
        byte[] encoded = encode(new TcpConnection());
        encoded[0] = 3;

        assertThatThrownBy(() -> decode(encoded))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 3")
                .hasMessageContaining("reads versions 1 and 2");
    }
}
