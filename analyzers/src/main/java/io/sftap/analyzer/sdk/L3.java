package io.sftap.analyzer.sdk;

/** Network-layer protocol of a flow, with the text name and binary code. */
public enum L3 {
    IPV4("ipv4", 0, 4),
    IPV6("ipv6", 41, 16);

    public final String text;
    /** Value of the binary header's {@code l3} byte (SF-TAP uses IPPROTO_IP / IPPROTO_IPV6). */
    public final int binaryCode;
    /** Address length in bytes. */
    public final int addressLength;

    L3(String text, int binaryCode, int addressLength) {
        this.text = text;
        this.binaryCode = binaryCode;
        this.addressLength = addressLength;
    }

    static L3 fromText(String s) {
        for (L3 l : values()) {
            if (l.text.equals(s)) {
                return l;
            }
        }
        return null;
    }

    static L3 fromBinary(int code) {
        for (L3 l : values()) {
            if (l.binaryCode == code) {
                return l;
            }
        }
        return null;
    }
}
