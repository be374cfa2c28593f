package io.sftap.analyzer.sdk;

import java.util.Locale;

/** Which pattern of the matched rule the sender's direction satisfied ({@code up} = the rule's client side). */
public enum Match {
    UP(0),
    DOWN(1),
    NONE(2);

    /** Value of the binary header's {@code match} byte. */
    public final int binaryCode;

    Match(int binaryCode) {
        this.binaryCode = binaryCode;
    }

    /** Text form: {@code up}, {@code down}, {@code none}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Match fromText(String s) {
        switch (s) {
            case "up":
                return UP;
            case "down":
                return DOWN;
            case "none":
                return NONE;
            default:
                return null;
        }
    }

    static Match fromBinary(int code) {
        for (Match m : values()) {
            if (m.binaryCode == code) {
                return m;
            }
        }
        return null;
    }
}
