package io.sftap.sinks.wire;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered input stream without locks: {@link java.io.BufferedInputStream#read()} takes a
 * monitor per byte, and the text format reads its header lines byte by byte. One reader thread
 * per stream, as {@link WireFormatReader} uses it.
 */
final class UnsyncBufferedInputStream extends InputStream {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    UnsyncBufferedInputStream(InputStream in, int size) {
        this.in = in;
        this.buf = new byte[size];
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int buffered = limit - pos;
        if (buffered == 0) {
            if (len >= buf.length) {
                return in.read(b, off, len); // large bodies bypass the buffer
            }
            if (!fill()) {
                return -1;
            }
            buffered = limit - pos;
        }
        int n = Math.min(buffered, len);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return (limit - pos) + in.available();
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
