package io.sftap.sinks.wire;

import java.io.IOException;

/** Bytes on an abstract interface that are not a valid wire event. */
public class WireFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
