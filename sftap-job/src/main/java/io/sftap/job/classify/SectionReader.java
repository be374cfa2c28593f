package io.sftap.job.classify;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, checked access to one section (a YAML map) of the rules file. Every failure is a {@link
 * RulesException} naming the file, the line of the offending key, the section and the problem.
 */
final class SectionReader {
    private final String source;
    private final String section;
    private final YamlNode node;
    private final int line;

    /** @param line line of the section's own key (a block map's node starts on the line after) */
    SectionReader(String source, String section, YamlNode node, int line) {
        this.source = source;
        this.section = section;
        this.node = node;
        this.line = line;
    }

    String source() {
        return source;
    }

    String section() {
        return section;
    }

    int line() {
        return line;
    }

    int lineOf(String key) {
        return node.lineOf(key);
    }

    boolean has(String key) {
        YamlNode v = node.entries().get(key);
        return v != null && v.kind != YamlNode.Kind.NULL;
    }

    YamlNode raw(String key) {
        return node.entries().get(key);
    }

    RulesException error(String key, String problem) {
        return new RulesException(source, key == null ? line : node.lineOf(key), section, problem);
    }

    /** Rejects keys outside {@code known}, suggesting the closest known key. */
    void requireKnownKeys(Collection<String> known) throws RulesException {
        for (String key : node.entries().keySet()) {
            if (!known.contains(key)) {
                String hint = closest(key, known);
                throw error(key, "unknown key '" + key + "'"
                        + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                        + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /** A scalar value as text, or {@code null} when absent or empty. */
    String string(String key) throws RulesException {
        YamlNode v = node.entries().get(key);
        if (v == null || v.kind == YamlNode.Kind.NULL) {
            return null;
        }
        if (v.kind != YamlNode.Kind.SCALAR) {
            throw error(key, "'" + key + "' must be a single value, not " + v.describe());
        }
        return v.text();
    }

    /** yes/no (YAML 1.1 also gives true/false/on/off); absent gives {@code dflt}. */
    boolean bool(String key, boolean dflt) throws RulesException {
        String s = string(key);
        if (s == null) {
            return dflt;
        }
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "yes":
            case "true":
            case "on":
            case "y":
                return true;
            case "no":
            case "false":
            case "off":
            case "n":
                return false;
            default:
                throw error(key, "'" + key + "' must be yes or no, not '" + s + "'");
        }
    }

    /** Nullable variant of {@link #bool}: null when absent. */
    Boolean optionalBool(String key) throws RulesException {
        return has(key) ? bool(key, false) : null;
    }

    int integer(String key, int dflt, long min, long max) throws RulesException {
        String s = string(key);
        if (s == null) {
            return dflt;
        }
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw error(key, "'" + key + "' must be an integer, not '" + s + "'");
        }
        if (v < min || v > max) {
            throw error(key, "'" + key + "' must be between " + min + " and " + max + ", not " + v);
        }
        return (int) v;
    }

    /** One of {@code choices} (case-insensitive), returned in upper case; absent gives null. */
    String choice(String key, String... choices) throws RulesException {
        String s = string(key);
        if (s == null) {
            return null;
        }
        for (String c : choices) {
            if (c.equalsIgnoreCase(s.trim())) {
                return c;
            }
        }
        throw error(key, "'" + key + "' must be one of " + String.join(", ", choices) + ", not '" + s + "'");
    }

    Map<String, YamlNode> entries() {
        return node.entries();
    }

    private static String closest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(1, key.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
