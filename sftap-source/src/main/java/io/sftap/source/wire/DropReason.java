package io.sftap.source.wire;

/** Why a frame or datagram was not passed on; every drop is counted under one of these. */
public enum DropReason {
    /** Shorter than its link-layer header. */
    TRUNCATED_LINK,
    /** Link type we do not decode (named once in the log). */
    UNSUPPORTED_LINK_TYPE,
    /** Not IPv4 or IPv6 (ARP, LLDP, ...). Counted, not an error. */
    NOT_IP,
    /** IP header shorter than its fixed part or its own length fields. */
    TRUNCATED_IP,
    /** IP header fields that cannot be (bad version, IHL below 5, total length below header). */
    MALFORMED_IP,
    /** Captured bytes end before the IP total length: snaplen cut the frame. */
    TRUNCATED_CAPTURE,
    /** IPv6 extension header chain malformed or too long. */
    MALFORMED_IPV6_EXTENSION,
    /** TCP/UDP/ICMP header cut short or with impossible lengths. */
    TRUNCATED_TRANSPORT,
    /** Transport protocol the pipeline does not follow (ESP, GRE, ...). */
    UNSUPPORTED_TRANSPORT,
    /** Fragments of a datagram that never completed before the timeout. */
    FRAGMENT_TIMEOUT,
    /** Datagram over the reassembled-size limit, or too many fragments. */
    FRAGMENT_LIMIT,
    /** Fragment with impossible offset/length. */
    FRAGMENT_MALFORMED,
    /** Malformed record in a capture file (its remainder is skipped). */
    MALFORMED_CAPTURE_RECORD;

    /** Name used in metrics and summaries, e.g. {@code truncated_ip}. */
    public String metricName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
