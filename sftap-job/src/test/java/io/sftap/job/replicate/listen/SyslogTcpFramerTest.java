package io.sftap.job.replicate.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link SyslogTcpFramer}: RFC 6587 framings, detected per connection, across reads. */
class SyslogTcpFramerTest {
    private static List<String> feedInChunks(SyslogTcpFramer f, String stream, int chunk) throws Exception {
        byte[] b = stream.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < b.length; i += chunk) {
            for (byte[] m : f.feed(b, i, Math.min(chunk, b.length - i))) {
                out.add(new String(m, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 1000})
    void splitsOctetCountedFramesWhateverTheReadSizes(int chunk) throws Exception {
        SyslogTcpFramer f = new SyslogTcpFramer(65507);
        List<String> got = feedInChunks(f, "11 <13>1 a\nb c5 <1>hi10 0123456789", chunk);
        assertThat(f.framing()).isEqualTo(SyslogTcpFramer.Framing.OCTET_COUNTING);
        assertThat(got).containsExactly("<13>1 a\nb c", "<1>hi", "0123456789");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 1000})
    void splitsNewlineFramesDroppingCrAndAcceptingNul(int chunk) throws Exception {
        SyslogTcpFramer f = new SyslogTcpFramer(65507);
        List<String> got = feedInChunks(f, "<13>first\r\n<14>second\n\n<15>third\0<16>tail", chunk);
        assertThat(f.framing()).isEqualTo(SyslogTcpFramer.Framing.NON_TRANSPARENT);
        assertThat(got).containsExactly("<13>first", "<14>second", "<15>third");
        assertThat(new String(f.finish(), StandardCharsets.UTF_8)).isEqualTo("<16>tail");
        assertThat(f.finish()).isNull();
    }

    @Test
    void cutsOverlongNewlineFramedMessagesAtTheLimit() throws Exception {
        SyslogTcpFramer f = new SyslogTcpFramer(4);
        assertThat(feedInChunks(f, "<1>abcdef\n", 100)).containsExactly("<1>a", "bcde", "f");
    }

    @Test
    void refusesCountsAboveTheLimitAndGarbageWhereACountBelongs() {
        assertThatThrownBy(() -> feedInChunks(new SyslogTcpFramer(100), "101 x", 100))
                .isInstanceOf(SyslogTcpFramer.FramingException.class)
                .hasMessageContaining("100-byte limit");
        assertThatThrownBy(() -> feedInChunks(new SyslogTcpFramer(100), "3 abcX", 100))
                .isInstanceOf(SyslogTcpFramer.FramingException.class)
                .hasMessageContaining("expected an octet count");
    }
}
