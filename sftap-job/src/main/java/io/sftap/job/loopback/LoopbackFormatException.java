package io.sftap.job.loopback;

/** Malformed input on a loopback connection; the message is written back to the analyzer. */
public final class LoopbackFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public LoopbackFormatException(String message) {
        super(message);
    }
}
