package io.sftap.job.defrag;

import static io.sftap.job.defrag.FragmentFixtures.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FragmentBufferCodecTest {

    static Stream<Arguments> buffers() {
        return Stream.of(
                Arguments.of("one zero-length fragment",
                        (Consumer<FragmentBuffer>) b -> b.add(8, new byte[0], true)),
                Arguments.of("one range, total unknown", (Consumer<FragmentBuffer>) b -> b.add(0, filled(8, 'A'), false)),
                Arguments.of("holes and a known total", (Consumer<FragmentBuffer>) b -> {
                    b.add(0, filled(8, 'A'), false);
                    b.add(24, filled(8, 'C'), false);
                    b.add(40, filled(5, 'E'), true);
                    b.setUpperProtocol(17);
                    b.setFirstTimestampNanos(-42L);
                }),
                Arguments.of("duplicates counted", (Consumer<FragmentBuffer>) b -> {
                    b.add(16, filled(16, 'B'), false);
                    b.add(16, filled(16, 'X'), false);
                    b.setFirstTimestampNanos(Long.MAX_VALUE);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buffers")
    void roundTripsEveryField(String name, Consumer<FragmentBuffer> fill) throws IOException {
        FragmentBuffer original = new FragmentBuffer();
        fill.accept(original);

        FragmentBuffer copy = FragmentBufferCodec.fromBytes(FragmentBufferCodec.toBytes(original));

        assertThat(copy.firstTimestampNanos()).isEqualTo(original.firstTimestampNanos());
        assertThat(copy.totalLength()).isEqualTo(original.totalLength());
        assertThat(copy.fragmentCount()).isEqualTo(original.fragmentCount());
        assertThat(copy.upperProtocol()).isEqualTo(original.upperProtocol());
        assertThat(copy.isComplete()).isEqualTo(original.isComplete());
        assertThat(FragmentBufferTest.render(copy)).isEqualTo(FragmentBufferTest.render(original));
        assertThat(FragmentBufferCodec.toBytes(copy)).isEqualTo(FragmentBufferCodec.toBytes(original));
    }

    @Test
    void restoredBufferKeepsFirstCopyWins() throws IOException {
        FragmentBuffer original = new FragmentBuffer();
        original.add(0, filled(8, 'A'), false);
        original.add(16, filled(4, 'C'), true);

        FragmentBuffer copy = FragmentBufferCodec.fromBytes(FragmentBufferCodec.toBytes(original));
        assertThat(copy.add(0, filled(20, 'X'), true)).isTrue();

        assertThat(new String(copy.assemble(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("AAAAAAAAXXXXXXXXCCCC");
    }

    @Test
    void writesTheVersionFirst() {
        byte[] bytes = FragmentBufferCodec.toBytes(new FragmentBuffer());
        assertThat(bytes).startsWith(0, 0, 0, FragmentBufferCodec.CURRENT_VERSION);
    }

    @Test
    void refusesAnUnknownVersionByName() {
        byte[] bytes = FragmentBufferCodec.toBytes(new FragmentBuffer());
        bytes[3] = 99;
        assertThatThrownBy(() -> FragmentBufferCodec.fromBytes(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }

    @Test
    void refusesRangesThatBreakTheInvariant() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(FragmentBufferCodec.CURRENT_VERSION);
        out.writeLong(0L);
        out.writeInt(FragmentBuffer.UNKNOWN);
        out.writeInt(2);
        out.writeInt(FragmentBuffer.UNKNOWN);
        out.writeInt(2);
        out.writeInt(8);
        out.writeInt(8);
        out.write(new byte[8]);
        out.writeInt(0); // out of order: starts before the previous range
        out.writeInt(8);
        out.write(new byte[8]);

        assertThatThrownBy(() -> FragmentBufferCodec.fromBytes(bytes.toByteArray()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt FragmentBuffer");
    }

    @Test
    void refusesATruncatedRecord() {
        FragmentBuffer buffer = new FragmentBuffer();
        buffer.add(0, filled(8, 'A'), false);
        byte[] bytes = FragmentBufferCodec.toBytes(buffer);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> FragmentBufferCodec.fromBytes(cut)).isInstanceOf(IOException.class);
    }
}
