package io.sftap.analyzer.sdk;

import java.io.IOException;

/** The byte stream of an interface is not in the configured wire format; the stream cannot be resynchronized. */
public class EventFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public EventFormatException(String message) {
        super(message);
    }
}
