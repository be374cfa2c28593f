package io.sftap.source.typeinfo;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Length-prefixed byte fields shared by the compact serializers. */
final class Bytes {
    /** Length byte of a null address. */
    private static final int NULL_ADDRESS = 0xff;

    private Bytes() {}

    /** An address: one length byte (255 for null), then the bytes (at most 254). */
    static void writeAddress(byte[] a, DataOutputView out) throws IOException {
        if (a == null) {
            out.writeByte(NULL_ADDRESS);
            return;
        }
        if (a.length >= NULL_ADDRESS) {
            throw new IOException("address of " + a.length + " bytes cannot be serialized");
        }
        out.writeByte(a.length);
        out.write(a);
    }

    static byte[] readAddress(DataInputView in) throws IOException {
        int n = in.readUnsignedByte();
        if (n == NULL_ADDRESS) {
            return null;
        }
        byte[] a = new byte[n];
        in.readFully(a);
        return a;
    }

    static void copyAddress(DataInputView in, DataOutputView out) throws IOException {
        int n = in.readUnsignedByte();
        out.writeByte(n);
        if (n != NULL_ADDRESS) {
            out.write(in, n);
        }
    }

    static byte[] copyOf(byte[] a) {
        return a == null ? null : a.clone();
    }
}
