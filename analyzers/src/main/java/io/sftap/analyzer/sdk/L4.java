package io.sftap.analyzer.sdk;

/** Transport protocol of a flow, with the text name and IP protocol number (the binary code). */
public enum L4 {
    TCP("tcp", 6, true),
    UDP("udp", 17, true),
    ICMP("icmp", 1, false),
    ICMPV6("icmpv6", 58, false);

    public final String text;
    public final int protocolNumber;
    /** Whether events of this protocol carry {@code port1}/{@code port2}. */
    public final boolean hasPorts;

    L4(String text, int protocolNumber, boolean hasPorts) {
        this.text = text;
        this.protocolNumber = protocolNumber;
        this.hasPorts = hasPorts;
    }

    static L4 fromText(String s) {
        for (L4 l : values()) {
            if (l.text.equals(s)) {
                return l;
            }
        }
        return null;
    }

    static L4 fromBinary(int code) {
        for (L4 l : values()) {
            if (l.protocolNumber == code) {
                return l;
            }
        }
        return null;
    }
}
