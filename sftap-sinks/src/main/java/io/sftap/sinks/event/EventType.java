package io.sftap.sinks.event;

/** Kinds of flow event; the codes are SF-TAP's binary {@code event} values. */
public enum EventType {
    CREATED(0),
    DESTROYED(1),
    DATA(2);

    public final int binaryCode;

    EventType(int binaryCode) {
        this.binaryCode = binaryCode;
    }
}
