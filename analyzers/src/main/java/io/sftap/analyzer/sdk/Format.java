package io.sftap.analyzer.sdk;

import java.util.Locale;

/** Wire format of an abstract interface, fixed per interface by the rule's {@code format} key. */
public enum Format {
    TEXT,
    BINARY;

    /** Parses {@code text} or {@code binary} (any case). */
    public static Format parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "text":
                return TEXT;
            case "binary":
                return BINARY;
            default:
                throw new IllegalArgumentException("format must be text or binary, not '" + s + "'");
        }
    }
}
