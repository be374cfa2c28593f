package io.sftap.job.classify;

import java.io.Serializable;

/**
 * An input socket of the rules file ({@code loopback7} or {@code pcap}): where analyzers write
 * data back in. It lives directly under home ({@code <home>/<if>}); it is not a classification rule.
 */
public final class InputSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Section name: {@code loopback7} or {@code pcap}. */
    public final String section;
    /** {@code if}: the socket name under home (defaults to the section name). */
    public final String name;
    /** {@code format: binary}: 64-byte binary headers instead of text header lines. */
    public final boolean binary;

    public InputSpec(String section, String name, boolean binary) {
        this.section = section;
        this.name = name;
        this.binary = binary;
    }

    /** Socket path relative to home. */
    public String socketPath() {
        return name;
    }

    @Override
    public String toString() {
        return section + " -> " + name + (binary ? " (binary)" : " (text)");
    }
}
