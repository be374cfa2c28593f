package io.sftap.source.pcap;

/**
 * One record read from a capture file: a mutable holder that a {@link CaptureFileReader} refills
 * for every record, so reading allocates nothing per packet.
 *
 * <p>The frame is {@code data[offset, offset + length)}; the array is reused and overwritten by the
 * next {@link CaptureFileReader#next} call.
 */
public final class CaptureRecord {
    private static final int INITIAL_CAPACITY = 2048;

    /** LINKTYPE_* of the frame (per interface in pcapng). */
    public int linkType;
    /** Capture time in nanoseconds since the epoch. */
    public long timestampNanos;
    /** Buffer holding the captured bytes. */
    public byte[] data = new byte[INITIAL_CAPACITY];
    /** Offset of the frame in {@link #data}. */
    public int offset;
    /** Captured length (bytes present in {@link #data}). */
    public int length;
    /** Length of the frame on the wire (at least {@link #length} in a sane file). */
    public int originalLength;
    /** pcapng interface id; 0 for classic pcap. */
    public int interfaceId;

    /** Returns {@link #data}, grown (contents not kept) so that it holds at least {@code n} bytes. */
    byte[] buffer(int n) {
        if (data.length < n) {
            data = new byte[Math.max(n, data.length * 2)];
        }
        return data;
    }
}
