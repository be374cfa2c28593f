package io.sftap.job;

/** A user error (missing file, bad rules, unwritable home): printed as one clear line, no stack trace. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
