package io.sftap.sinks.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte-level header builder writes the same text as Java's string formatting. */
class AsciiHeaderTest {

    static String text(AsciiHeader h) {
        byte[] out = new byte[h.length()];
        h.copyTo(out, 0);
        return new String(out, StandardCharsets.US_ASCII);
    }

    @Test
    void writesDecimalsAtEveryDigitCount() {
        AsciiHeader h = new AsciiHeader();
        int[] values = {0, 9, 10, 99, 100, 65535, 999_999_999, 1_000_000_000, Integer.MAX_VALUE, -5};
        StringBuilder expected = new StringBuilder();
        for (int v : values) {
            h.append(v).append(',');
            expected.append(v).append(',');
        }
        assertThat(text(h)).isEqualTo(expected.toString());
    }

    @Test
    void writesDottedQuadsLikeInetNtop() {
        AsciiHeader h = new AsciiHeader();
        h.appendIpv4(new byte[] {0, 0, 0, 0}).append(' ').appendIpv4(new byte[] {(byte) 255, (byte) 255, 10, 1});
        assertThat(text(h)).isEqualTo("0.0.0.0 255.255.10.1");
    }

    @Test
    void growsPastItsFirstBufferAndTruncatesToAMark() {
        AsciiHeader h = new AsciiHeader();
        h.append("flow");
        int mark = h.length();
        String longText = "x".repeat(1000);
        h.append(longText);
        assertThat(text(h)).isEqualTo("flow" + longText);
        h.truncate(mark);
        h.append("!");
        assertThat(text(h)).isEqualTo("flow!");
    }
}
