package io.sftap.source.pcap;

/** The capture file formats we read, told apart by the first four bytes. */
public enum CaptureFormat {
    /** Classic libpcap, microsecond or nanosecond timestamps, either byte order. */
    PCAP,
    /** pcapng (starts with a Section Header Block). */
    PCAPNG;

    /** The format whose magic starts {@code b}, or null. */
    static CaptureFormat ofMagic(int b0, int b1, int b2, int b3) {
        int magic = (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
        switch (magic) {
            case 0xa1b2c3d4:
            case 0xd4c3b2a1:
            case 0xa1b23c4d:
            case 0x4d3cb2a1:
                return PCAP;
            case 0x0a0d0d0a:
                return PCAPNG;
            default:
                return null;
        }
    }
}
