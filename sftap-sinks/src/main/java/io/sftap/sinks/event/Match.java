package io.sftap.sinks.event;

/** Which pattern of the matched rule a DATA event's direction satisfied; SF-TAP's codes. */
public enum Match {
    UP(0, "up"),
    DOWN(1, "down"),
    NONE(2, "none");

    public final int binaryCode;
    public final String text;

    Match(int binaryCode, String text) {
        this.binaryCode = binaryCode;
        this.text = text;
    }
}
