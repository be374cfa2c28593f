package io.sftap.source.wire;

/** IP protocol numbers that the pipeline treats specially. */
public final class IpProtocols {
    public static final byte ICMP = 1;
    public static final byte TCP = 6;
    public static final byte UDP = 17;
    public static final byte ICMPV6 = 58;

    private IpProtocols() {}

    /** The SF-TAP text name of a transport protocol ({@code tcp}, {@code udp}, {@code icmp}, ...). */
    public static String name(byte protocol) {
        switch (protocol) {
            case TCP:
                return "tcp";
            case UDP:
                return "udp";
            case ICMP:
                return "icmp";
            case ICMPV6:
                return "icmpv6";
            default:
                return Integer.toString(protocol & 0xff);
        }
    }
}
