package io.sftap.source.wire;

/** Which endpoint of a flow sent a packet; the wire codes are SF-TAP's ({@code from}). */
public enum Direction {
    FROM_ENDPOINT1(0, "1"),
    FROM_ENDPOINT2(1, "2"),
    NONE(3, "none");

    /** Code in the binary wire format. */
    public final int binaryCode;
    /** Value of {@code from=} in the text wire format. */
    public final String text;

    Direction(int binaryCode, String text) {
        this.binaryCode = binaryCode;
        this.text = text;
    }

    public Direction opposite() {
        switch (this) {
            case FROM_ENDPOINT1:
                return FROM_ENDPOINT2;
            case FROM_ENDPOINT2:
                return FROM_ENDPOINT1;
            default:
                return NONE;
        }
    }
}
