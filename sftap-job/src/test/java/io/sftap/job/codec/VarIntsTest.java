package io.sftap.job.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class VarIntsTest {
    @FunctionalInterface
    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    static byte[] bytes(Writer w) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        w.write(new DataOutputStream(b));
        return b.toByteArray();
    }

    static DataInputStream in(byte[] b) {
        return new DataInputStream(new ByteArrayInputStream(b));
    }

    @Test
    void smallMagnitudesOfEitherSignTakeOneByte() throws IOException {
        assertThat(bytes(o -> VarInts.writeUnsigned(127, o))).hasSize(1);
        assertThat(bytes(o -> VarInts.writeUnsigned(128, o))).hasSize(2);
        assertThat(bytes(o -> VarInts.writeSigned(-64, o))).hasSize(1);
        assertThat(bytes(o -> VarInts.writeSigned(63, o))).hasSize(1);
        assertThat(bytes(o -> VarInts.writeSignedLong(-64, o))).hasSize(1);
        assertThat(bytes(o -> VarInts.writeSignedLong(64, o))).hasSize(2);
    }

    @Test
    void theArrayFormWritesTheSameBytesAsTheStreamForm() throws IOException {
        for (int v : new int[] {0, 1, 127, 128, 300, 16383, 16384, Integer.MAX_VALUE, -1}) {
            byte[] out = new byte[8];
            int end = VarInts.writeUnsigned(v, out, 2);
            assertThat(java.util.Arrays.copyOfRange(out, 2, end)).as("value %d", v)
                    .isEqualTo(bytes(o -> VarInts.writeUnsigned(v, o)));
        }
    }

    @Test
    void roundTripsTheExtremes() throws IOException {
        for (int v : new int[] {0, 1, -1, 300, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThat(VarInts.readUnsigned(in(bytes(o -> VarInts.writeUnsigned(v, o))))).isEqualTo(v);
            assertThat(VarInts.readSigned(in(bytes(o -> VarInts.writeSigned(v, o))))).isEqualTo(v);
        }
        for (long v : new long[] {0, -1, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(VarInts.readUnsignedLong(in(bytes(o -> VarInts.writeUnsignedLong(v, o))))).isEqualTo(v);
            assertThat(VarInts.readSignedLong(in(bytes(o -> VarInts.writeSignedLong(v, o))))).isEqualTo(v);
        }
        assertThat(bytes(o -> VarInts.writeUnsignedLong(-1, o))).hasSize(10);
    }

    @Test
    void stringsAreUtf8AfterTheirByteCount() throws IOException {
        assertThat(bytes(o -> VarInts.writeString("http", o))).containsExactly(4, 'h', 't', 't', 'p');
        byte[] accented = bytes(o -> VarInts.writeString("règle", o));
        assertThat(accented[0]).isEqualTo((byte) 6);
        assertThat(VarInts.readString(in(accented), 100)).isEqualTo("règle");
    }

    @Test
    void aRangeOfAStringIsWrittenAsItsSubstring() throws IOException {
        for (String s : new String[] {"tcp/http12", "tcp/règle7"}) {
            assertThat(bytes(o -> VarInts.writeString(s, 4, s.length() - 1, o)))
                    .isEqualTo(bytes(o -> VarInts.writeString(s.substring(4, s.length() - 1), o)));
        }
    }

    @Test
    void refusesOverlongInput() throws IOException {
        byte[] sixBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0};
        assertThatThrownBy(() -> VarInts.readUnsigned(in(sixBytes))).hasMessageContaining("longer than 5");
        byte[] long1000 = bytes(o -> VarInts.writeString("x".repeat(1000), o));
        assertThatThrownBy(() -> VarInts.readString(in(long1000), 999)).hasMessageContaining("1000 bytes");
    }
}
