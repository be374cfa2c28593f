package io.sftap.job.classify;

import java.util.BitSet;

/**
 * The bytes a non-empty subject can start with for an anchored rule pattern to match it, read from
 * the pattern's text: a cheap test that spares most rules the regex machine on most flows.
 *
 * <p>The analysis is conservative: any construct it does not fully understand (flags other than
 * {@code i}, Unicode classes, word boundaries, a branch without {@code ^}, a branch that can match
 * the empty string, any {@code utf8: yes} pattern...) gives {@link #ANY}, which filters nothing. So a
 * byte outside the set proves the pattern cannot match; a byte inside proves nothing.
 */
final class FirstBytes {
    /** The set of every byte: no filtering. */
    static final BitSet ANY = all();

    /** The pattern, read as a Latin-1 subject sees it (one char per byte). */
    private final String p;
    private int at;

    private FirstBytes(String pattern) {
        this.p = pattern;
    }

    /** The possible first bytes of a non-empty subject that {@code pattern} matches (partially). */
    static BitSet of(String pattern, boolean utf8) {
        if (utf8) {
            // RE2J decodes invalid UTF-8 leniently (0xC1 0x63 reads as 'c'), so a character's
            // first byte is not a property of the character: no filtering.
            return ANY;
        }
        try {
            FirstBytes f = new FirstBytes(pattern);
            BitSet set = f.topLevel();
            return set == null ? ANY : set;
        } catch (Unsupported | IndexOutOfBoundsException e) {
            return ANY;
        }
    }

    /** Thrown for any construct the analysis does not handle; it then filters nothing. */
    private static final class Unsupported extends Exception {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** What one atom, group or sequence can start with, and whether it can match nothing. */
    private record Start(BitSet bytes, boolean nullable) {}

    /** Every top-level branch must start with {@code ^}: otherwise it may match anywhere. */
    private BitSet topLevel() throws Unsupported {
        BitSet out = new BitSet(256);
        while (true) {
            if (at >= p.length() || p.charAt(at) != '^') {
                return null;
            }
            at++;
            Start s = sequence(false);
            if (s.nullable) {
                return null; // matches the empty prefix of any subject
            }
            out.or(s.bytes);
            if (at == p.length()) {
                return out;
            }
            if (p.charAt(at) != '|') {
                throw new Unsupported();
            }
            at++;
        }
    }

    /** Branches up to the closing parenthesis of the current group (not consumed). */
    private Start alternation(boolean fold) throws Unsupported {
        BitSet out = new BitSet(256);
        boolean nullable = false;
        while (true) {
            Start s = sequence(fold);
            out.or(s.bytes);
            nullable |= s.nullable;
            if (at < p.length() && p.charAt(at) == '|') {
                at++;
                continue;
            }
            return new Start(out, nullable);
        }
    }

    /** Atoms up to '|', ')' or the end: their first sets until one that cannot be empty. */
    private Start sequence(boolean fold) throws Unsupported {
        BitSet out = new BitSet(256);
        boolean nullableSoFar = true;
        while (at < p.length() && p.charAt(at) != '|' && p.charAt(at) != ')') {
            Start atom = atom(fold);
            boolean optional = quantifier();
            if (nullableSoFar) {
                out.or(atom.bytes);
                nullableSoFar = atom.nullable || optional;
            }
        }
        return new Start(out, nullableSoFar);
    }

    /** Consumes a quantifier after an atom, if any; true when it allows zero repetitions. */
    private boolean quantifier() throws Unsupported {
        if (at >= p.length()) {
            return false;
        }
        char c = p.charAt(at);
        boolean optional;
        if (c == '*' || c == '?') {
            optional = true;
            at++;
        } else if (c == '+') {
            optional = false;
            at++;
        } else if (c == '{' && at + 1 < p.length() && Character.isDigit(p.charAt(at + 1))) {
            int close = p.indexOf('}', at);
            if (close < 0) {
                throw new Unsupported();
            }
            String body = p.substring(at + 1, close);
            if (!body.matches("[0-9]+(,[0-9]*)?")) {
                throw new Unsupported();
            }
            int comma = body.indexOf(',');
            optional = Integer.parseInt(comma < 0 ? body : body.substring(0, comma)) == 0;
            at = close + 1;
        } else {
            return false;
        }
        if (at < p.length() && p.charAt(at) == '?') {
            at++; // non-greedy: same set
        }
        if (at < p.length() && "*+?{".indexOf(p.charAt(at)) >= 0) {
            throw new Unsupported(); // a second quantifier: not worth reasoning about
        }
        return optional;
    }

    private Start atom(boolean fold) throws Unsupported {
        char c = p.charAt(at++);
        switch (c) {
            case '(':
                return group(fold);
            case '[':
                return new Start(charClass(fold), false);
            case '.':
                return new Start(ANY, false); // the rules compile with DOTALL
            case '\\':
                return new Start(escape(fold), false);
            case '^':
            case '$':
            case '*':
            case '+':
            case '?':
            case '{':
                throw new Unsupported();
            default:
                return new Start(literal(c, fold), false);
        }
    }

    private Start group(boolean fold) throws Unsupported {
        boolean innerFold = fold;
        if (p.charAt(at) == '?') {
            if (p.startsWith("?:", at)) {
                at += 2;
            } else if (p.startsWith("?i:", at)) {
                innerFold = true;
                at += 3;
            } else if (p.startsWith("?P<", at)) {
                int close = p.indexOf('>', at);
                if (close < 0) {
                    throw new Unsupported();
                }
                at = close + 1;
            } else {
                throw new Unsupported(); // flag changes for the rest of the pattern, and the like
            }
        }
        Start inner = alternation(innerFold);
        if (at >= p.length() || p.charAt(at) != ')') {
            throw new Unsupported();
        }
        at++;
        return inner;
    }

    /** One escape outside a class. */
    private BitSet escape(boolean fold) throws Unsupported {
        char c = p.charAt(at++);
        switch (c) {
            case 'd':
                return range('0', '9');
            case 's':
                return chars("\t\n\f\r ");
            default:
                return literal(escapedChar(c), fold);
        }
    }

    /** The character an escape stands for ({@code c} follows the backslash). */
    private char escapedChar(char c) throws Unsupported {
        switch (c) {
            case 'x':
                return hexEscape();
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'f':
                return '\f';
            case 'v':
                return 0x0b;
            case 'a':
                return 0x07;
            default:
                if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                    return c; // escaped punctuation is itself
                }
                throw new Unsupported();
        }
    }

    private char hexEscape() throws Unsupported {
        if (p.charAt(at) == '{') {
            throw new Unsupported();
        }
        int v = Integer.parseInt(p.substring(at, at + 2), 16);
        at += 2;
        return (char) v;
    }

    /** A bracket class; the opening bracket is consumed. */
    private BitSet charClass(boolean fold) throws Unsupported {
        boolean negated = p.charAt(at) == '^';
        if (negated) {
            at++;
        }
        BitSet set = new BitSet(256);
        boolean first = true;
        while (true) {
            char c = p.charAt(at++);
            if (c == ']' && !first) {
                break;
            }
            first = false;
            if (c == '[') {
                throw new Unsupported(); // [:alpha:] and friends
            }
            char lo = c;
            if (c == '\\') {
                char e = p.charAt(at++);
                if (e == 'd') {
                    set.or(range('0', '9'));
                    continue;
                }
                if (e == 's') {
                    set.or(chars("\t\n\f\r "));
                    continue;
                }
                lo = escapedChar(e);
            }
            char hi = lo;
            if (p.charAt(at) == '-' && p.charAt(at + 1) != ']') {
                at++;
                hi = p.charAt(at++);
                if (hi == '\\') {
                    hi = escapedChar(p.charAt(at++));
                }
                if (hi < lo) {
                    throw new Unsupported();
                }
            }
            for (char x = lo; x <= hi; x++) {
                set.or(literal(x, fold));
            }
        }
        if (negated) {
            set.flip(0, 256);
        }
        return set;
    }

    /** The byte one character is in a Latin-1 subject (both cases when folding). */
    private BitSet literal(char c, boolean fold) throws Unsupported {
        if (c > 0xff) {
            throw new Unsupported();
        }
        BitSet set = new BitSet(256);
        set.set(c);
        if (fold) {
            if (c >= 0x80) {
                throw new Unsupported(); // Latin-1 and Unicode folding: not worth the risk
            }
            set.set(Character.toLowerCase(c));
            // RE2 also folds k and s to U+212A and U+017F, which no Latin-1 subject holds.
            set.set(Character.toUpperCase(c));
        }
        return set;
    }

    private static BitSet range(char lo, char hi) {
        BitSet set = new BitSet(256);
        set.set(lo, hi + 1);
        return set;
    }

    private static BitSet chars(String cs) {
        BitSet set = new BitSet(256);
        cs.chars().forEach(set::set);
        return set;
    }

    private static BitSet all() {
        BitSet set = new BitSet(256);
        set.set(0, 256);
        return set;
    }
}
