package io.sftap.source.wire;

/**
 * Walks an IPv6 extension-header chain to the upper-layer header.
 *
 * <p>Known headers: hop-by-hop (0), routing (43), fragment (44), destination options (60), AH (51,
 * length in 4-byte units + 2) and mobility (135). Any other next-header value ends the chain and is
 * the upper-layer protocol (TCP, UDP, ICMPv6, or one we do not follow, such as ESP).
 *
 * <p>Results come back through the mutable fields of a reused walker, so walking allocates
 * nothing. Not thread-safe; use one walker per decoder.
 */
public final class Ipv6ExtensionHeaders {
    /** More extension headers than this is treated as malformed (an attacker's long chain). */
    public static final int MAX_HEADERS = 8;

    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int AUTHENTICATION = 51;
    public static final int DESTINATION_OPTIONS = 60;
    public static final int MOBILITY = 135;

    /** Upper-layer protocol after the chain (or after the fragment header, see {@link #fragment}). */
    public int nextHeader;
    /** Offset of the upper-layer header (or of the fragment data when {@link #fragment}). */
    public int offset;
    /** True when the chain holds a non-atomic fragment header; the walk stops right after it. */
    public boolean fragment;
    /** Fragment identification (32 bits). */
    public int fragmentId;
    /** Fragment offset in bytes. */
    public int fragmentOffset;
    /** The M flag of the fragment header. */
    public boolean moreFragments;

    /**
     * Walks from {@code nextHeader} at {@code buf[off]} up to {@code end}.
     *
     * <p>An atomic fragment header (offset 0, M flag clear; RFC 6946) is skipped like any other
     * header, because its datagram is whole. A real fragment stops the walk: the rest is fragment
     * data that only the defragmenter can interpret.
     *
     * @return null on success (fields set), or {@link DropReason#MALFORMED_IPV6_EXTENSION}
     */
    public DropReason walk(int nextHeader, byte[] buf, int off, int end) {
        fragment = false;
        fragmentId = 0;
        fragmentOffset = 0;
        moreFragments = false;
        int next = nextHeader;
        int pos = off;
        for (int count = 0; ; count++) {
            int headerLength;
            switch (next) {
                case HOP_BY_HOP:
                case ROUTING:
                case DESTINATION_OPTIONS:
                case MOBILITY:
                    if (end - pos < 2) {
                        return DropReason.MALFORMED_IPV6_EXTENSION;
                    }
                    headerLength = ((buf[pos + 1] & 0xff) + 1) * 8;
                    break;
                case AUTHENTICATION:
                    if (end - pos < 2) {
                        return DropReason.MALFORMED_IPV6_EXTENSION;
                    }
                    headerLength = ((buf[pos + 1] & 0xff) + 2) * 4;
                    break;
                case FRAGMENT:
                    headerLength = 8;
                    break;
                default:
                    this.nextHeader = next;
                    this.offset = pos;
                    return null;
            }
            if (count >= MAX_HEADERS || end - pos < headerLength) {
                return DropReason.MALFORMED_IPV6_EXTENSION;
            }
            int following = buf[pos] & 0xff;
            if (next == FRAGMENT) {
                int offsetAndFlags = TransportDecoder.u16(buf, pos + 2);
                int fragOffset = offsetAndFlags & 0xfff8;
                boolean more = (offsetAndFlags & 1) != 0;
                if (fragOffset != 0 || more) {
                    fragment = true;
                    fragmentOffset = fragOffset;
                    moreFragments = more;
                    fragmentId = TransportDecoder.s32(buf, pos + 4);
                    this.nextHeader = following;
                    this.offset = pos + headerLength;
                    return null;
                }
            }
            next = following;
            pos += headerLength;
        }
    }
}
