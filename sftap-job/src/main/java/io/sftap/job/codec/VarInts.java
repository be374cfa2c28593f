package io.sftap.job.codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Variable-length integers (7 bits a byte, low bits first, as protobuf's varints), their zigzag
 * form for signed deltas, and strings as a varint byte count then UTF-8: the pieces of the compact
 * state layouts, where most numbers are small deltas and most strings short names.
 */
public final class VarInts {
    private VarInts() {}

    /** Writes {@code value} as an unsigned varint (1 to 5 bytes; negative values take 5). */
    public static void writeUnsigned(int value, DataOutput out) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    /**
     * Writes {@code value} as {@link #writeUnsigned(int, DataOutput)} does, into {@code out} at
     * {@code pos} (room for 5 bytes is the caller's); returns the position after it.
     */
    public static int writeUnsigned(int value, byte[] out, int pos) {
        while ((value & ~0x7F) != 0) {
            out[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
    }

    /** Reads what {@link #writeUnsigned(int, DataOutput)} wrote (all 32 bits). */
    public static int readUnsigned(DataInput in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("corrupt state: varint longer than 5 bytes");
    }

    /** Writes {@code value} as an unsigned varint of 1 to 10 bytes. */
    public static void writeUnsignedLong(long value, DataOutput out) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    /** Reads what {@link #writeUnsignedLong(long, DataOutput)} wrote (all 64 bits). */
    public static long readUnsignedLong(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("corrupt state: varint longer than 10 bytes");
    }

    /** Writes a signed int so that small magnitudes of either sign take one byte (zigzag). */
    public static void writeSigned(int value, DataOutput out) throws IOException {
        writeUnsigned((value << 1) ^ (value >> 31), out);
    }

    public static int readSigned(DataInput in) throws IOException {
        int z = readUnsigned(in);
        return (z >>> 1) ^ -(z & 1);
    }

    /** Writes a signed long so that small magnitudes of either sign take few bytes (zigzag). */
    public static void writeSignedLong(long value, DataOutput out) throws IOException {
        writeUnsignedLong((value << 1) ^ (value >> 63), out);
    }

    public static long readSignedLong(DataInput in) throws IOException {
        long z = readUnsignedLong(in);
        return (z >>> 1) ^ -(z & 1);
    }

    /** Writes a string as its UTF-8 byte count (varint) and bytes; ASCII without a copy. */
    public static void writeString(String s, DataOutput out) throws IOException {
        writeString(s, 0, s.length(), out);
    }

    /** Writes {@code s.substring(from, to)} as {@link #writeString(String, DataOutput)} would, without the substring. */
    public static void writeString(String s, int from, int to, DataOutput out) throws IOException {
        boolean ascii = true;
        for (int i = from; i < to && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (ascii) {
            writeUnsigned(to - from, out);
            for (int i = from; i < to; i++) {
                out.writeByte(s.charAt(i));
            }
        } else {
            byte[] utf8 = s.substring(from, to).getBytes(StandardCharsets.UTF_8);
            writeUnsigned(utf8.length, out);
            out.write(utf8);
        }
    }

    /** Reads what {@link #writeString} wrote; refuses a count larger than {@code maxBytes}. */
    public static String readString(DataInput in, int maxBytes) throws IOException {
        int n = readUnsigned(in);
        if (n < 0 || n > maxBytes) {
            throw new IOException("corrupt state: string of " + Integer.toUnsignedString(n) + " bytes");
        }
        byte[] utf8 = new byte[n];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
