package io.sftap.job.classify;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.BitSet;

/**
 * A compiled {@code up} or {@code down} pattern: RE2 syntax (linear-time matching), a partial match
 * ({@code ^} anchors at the start of the data), dot matching newline. The subject is Latin-1 (each
 * byte one character 0..255) unless the rule says {@code utf8: yes}.
 *
 * <p>Before the regex machine runs, a non-empty subject's first byte is checked against the bytes
 * the pattern can start with ({@link FirstBytes}): most rules fail there on most flows.
 */
public final class RulePattern {
    private final String source;
    private final boolean utf8;
    private final Pattern pattern;
    /** Null when the first byte proves nothing. */
    private final boolean[] firstBytes;

    private RulePattern(String source, boolean utf8, Pattern pattern) {
        this.source = source;
        this.utf8 = utf8;
        this.pattern = pattern;
        BitSet first = FirstBytes.of(source, utf8);
        if (first.cardinality() == 256) {
            this.firstBytes = null;
        } else {
            this.firstBytes = new boolean[256];
            first.stream().forEach(b -> firstBytes[b] = true);
        }
    }

    /**
     * Compiles a pattern as written in the rules file.
     *
     * @throws IllegalArgumentException with RE2's explanation when the pattern is not valid RE2
     */
    public static RulePattern compile(String source, boolean utf8) {
        try {
            return new RulePattern(source, utf8, Pattern.compile(source, Pattern.DOTALL));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription() + (e.getPattern().isEmpty() ? "" : " in '" + e.getPattern() + "'")
                    + " (patterns use RE2 syntax: no backreferences or lookaround)", e);
        }
    }

    /** True when the pattern occurs in {@code data} (a partial match). */
    public boolean matches(ClassifySubject data) {
        if (source.isEmpty()) {
            return true;
        }
        if (firstBytes != null && !data.isEmpty() && !firstBytes[data.firstByte()]) {
            return false;
        }
        return utf8 ? pattern.matcher(data.bytes()).find() : pattern.matcher(data.latin1()).find();
    }

    public String source() {
        return source;
    }

    public boolean utf8() {
        return utf8;
    }

    @Override
    public String toString() {
        return source;
    }
}
