package io.sftap.analyzer.sdk;

/** Kind of an interface event, with its text name and binary code. */
public enum EventType {
    CREATED(0),
    DESTROYED(1),
    DATA(2);

    /** Value of the binary header's {@code event} byte. */
    public final int binaryCode;

    EventType(int binaryCode) {
        this.binaryCode = binaryCode;
    }

    static EventType fromBinary(int code) {
        for (EventType t : values()) {
            if (t.binaryCode == code) {
                return t;
            }
        }
        return null;
    }
}
