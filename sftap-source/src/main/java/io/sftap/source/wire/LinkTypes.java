package io.sftap.source.wire;

/** Link-layer header types (LINKTYPE_* of pcap/pcapng) that {@link FrameDecoder} understands. */
public final class LinkTypes {
    /** BSD loopback: a 4-byte address family in the capturing host's byte order. */
    public static final int NULL = 0;
    /** Ethernet II, with optional 802.1Q / 802.1ad tags. */
    public static final int ETHERNET = 1;
    /** Raw IP as some BSDs write it (DLT_RAW = 12). */
    public static final int RAW_BSD12 = 12;
    /** Raw IP as OpenBSD writes it (DLT_RAW = 14). */
    public static final int RAW_BSD14 = 14;
    /** Raw IP, version taken from the first nibble. */
    public static final int RAW = 101;
    /** OpenBSD loopback: a 4-byte address family in network byte order. */
    public static final int LOOP = 108;
    /** Linux cooked capture v1 (16-byte header). */
    public static final int LINUX_SLL = 113;
    /** Raw IPv4. */
    public static final int IPV4 = 228;
    /** Raw IPv6. */
    public static final int IPV6 = 229;
    /** Linux cooked capture v2 (20-byte header). */
    public static final int LINUX_SLL2 = 276;

    private LinkTypes() {}

    /** True when {@link FrameDecoder} decodes frames of this link type. */
    public static boolean isSupported(int linkType) {
        switch (linkType) {
            case NULL:
            case ETHERNET:
            case RAW_BSD12:
            case RAW_BSD14:
            case RAW:
            case LOOP:
            case LINUX_SLL:
            case IPV4:
            case IPV6:
            case LINUX_SLL2:
                return true;
            default:
                return false;
        }
    }
}
