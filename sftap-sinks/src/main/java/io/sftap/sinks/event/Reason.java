package io.sftap.sinks.event;

/** Why a flow was DESTROYED; SF-TAP's names and binary codes. */
public enum Reason {
    NORMAL(0),
    RESET(1),
    TIMEOUT(2),
    COMPROMISED(3);

    public final int binaryCode;

    Reason(int binaryCode) {
        this.binaryCode = binaryCode;
    }
}
