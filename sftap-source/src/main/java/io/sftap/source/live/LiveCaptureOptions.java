package io.sftap.source.live;

import java.io.Serializable;
import java.util.Objects;

/**
 * How one interface is captured: BPF filter, snaplen, kernel buffer, promiscuous and immediate mode,
 * and the read timeout that bounds how long a read may wait for packets. Immutable.
 *
 * <pre>{@code
 * LiveCaptureOptions o = LiveCaptureOptions.defaults().withFilter("tcp or udp").withBufferBytes(64 << 20);
 * }</pre>
 */
public final class LiveCaptureOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Large enough for any frame on a 9000-byte-MTU link plus offloaded (GRO) super-frames. */
    public static final int DEFAULT_SNAPLEN = 262_144;
    /** The kernel ring per interface; bursts the reader cannot take at once wait here. */
    public static final int DEFAULT_BUFFER_BYTES = 32 << 20;
    /** Upper bound of how long a read waits when no packet arrives (also the batching delay). */
    public static final int DEFAULT_READ_TIMEOUT_MILLIS = 100;

    private final String filter;
    private final int snaplen;
    private final int bufferBytes;
    private final boolean promiscuous;
    private final boolean immediate;
    private final int readTimeoutMillis;

    public LiveCaptureOptions(
            String filter, int snaplen, int bufferBytes, boolean promiscuous, boolean immediate, int readTimeoutMillis) {
        this.filter = Objects.requireNonNull(filter, "filter (use \"\" for none)");
        if (snaplen < 64) {
            throw new IllegalArgumentException("snaplen must be at least 64 bytes, got " + snaplen);
        }
        if (bufferBytes < 65_536) {
            throw new IllegalArgumentException("capture buffer must be at least 64 KiB, got " + bufferBytes + " bytes");
        }
        if (readTimeoutMillis < 1 || readTimeoutMillis > 10_000) {
            throw new IllegalArgumentException("read timeout must be 1..10000 ms, got " + readTimeoutMillis);
        }
        this.snaplen = snaplen;
        this.bufferBytes = bufferBytes;
        this.promiscuous = promiscuous;
        this.immediate = immediate;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** No filter, {@link #DEFAULT_SNAPLEN}, {@link #DEFAULT_BUFFER_BYTES}, promiscuous, not immediate. */
    public static LiveCaptureOptions defaults() {
        return new LiveCaptureOptions("", DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES, true, false, DEFAULT_READ_TIMEOUT_MILLIS);
    }

    /** The BPF filter expression (tcpdump syntax); empty for none. */
    public String filter() {
        return filter;
    }

    public int snaplen() {
        return snaplen;
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    public boolean promiscuous() {
        return promiscuous;
    }

    /** Deliver each packet at once instead of filling kernel blocks first (lower latency, more CPU). */
    public boolean immediate() {
        return immediate;
    }

    public int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    public LiveCaptureOptions withFilter(String filter) {
        return new LiveCaptureOptions(filter, snaplen, bufferBytes, promiscuous, immediate, readTimeoutMillis);
    }

    public LiveCaptureOptions withSnaplen(int snaplen) {
        return new LiveCaptureOptions(filter, snaplen, bufferBytes, promiscuous, immediate, readTimeoutMillis);
    }

    public LiveCaptureOptions withBufferBytes(int bufferBytes) {
        return new LiveCaptureOptions(filter, snaplen, bufferBytes, promiscuous, immediate, readTimeoutMillis);
    }

    public LiveCaptureOptions withPromiscuous(boolean promiscuous) {
        return new LiveCaptureOptions(filter, snaplen, bufferBytes, promiscuous, immediate, readTimeoutMillis);
    }

    public LiveCaptureOptions withImmediate(boolean immediate) {
        return new LiveCaptureOptions(filter, snaplen, bufferBytes, promiscuous, immediate, readTimeoutMillis);
    }

    public LiveCaptureOptions withReadTimeoutMillis(int readTimeoutMillis) {
        return new LiveCaptureOptions(filter, snaplen, bufferBytes, promiscuous, immediate, readTimeoutMillis);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LiveCaptureOptions)) {
            return false;
        }
        LiveCaptureOptions x = (LiveCaptureOptions) o;
        return filter.equals(x.filter) && snaplen == x.snaplen && bufferBytes == x.bufferBytes
                && promiscuous == x.promiscuous && immediate == x.immediate && readTimeoutMillis == x.readTimeoutMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(filter, snaplen, bufferBytes, promiscuous, immediate, readTimeoutMillis);
    }

    @Override
    public String toString() {
        return "filter='" + filter + "', snaplen=" + snaplen + ", buffer=" + bufferBytes
                + (promiscuous ? ", promiscuous" : "") + (immediate ? ", immediate" : "")
                + ", timeout=" + readTimeoutMillis + "ms";
    }
}
