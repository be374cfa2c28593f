package io.sftap.analyzer.sdk;

/** Why a flow was DESTROYED, with the binary code. */
public enum Reason {
    NORMAL(0),
    RESET(1),
    TIMEOUT(2),
    COMPROMISED(3);

    /** Value of the binary header's {@code reason} byte. */
    public final int binaryCode;

    Reason(int binaryCode) {
        this.binaryCode = binaryCode;
    }

    static Reason fromBinary(int code) {
        for (Reason r : values()) {
            if (r.binaryCode == code) {
                return r;
            }
        }
        return null;
    }

    static Reason fromText(String s) {
        for (Reason r : values()) {
            if (r.name().equals(s)) {
                return r;
            }
        }
        return null;
    }
}
