package io.sftap.job.rules;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of the {@link RulesSource}: the rules in force as last broadcast, so a restored
 * reader continues the version numbers and knows what it already sent. Immutable.
 *
 * <p>{@code text} is null until the first rules were broadcast. {@code endedCaptures} holds the
 * capture subtasks that reported the end of their replay (see {@link RulesIntake#end}).
 */
@Internal
public final class RulesSplit implements SourceSplit {
    public static final String ID = "rules";

    /** Where the rules in force came from. */
    public enum Origin {
        /** The rules file of the job (given at start, or the watched file). */
        FILE,
        /** A push on the control socket. */
        PUSH
    }

    public final long version;
    public final String text;
    public final String sourceName;
    public final Origin origin;
    public final Set<Integer> endedCaptures;

    public RulesSplit(long version, String text, String sourceName, Origin origin, Set<Integer> endedCaptures) {
        this.version = version;
        this.text = text;
        this.sourceName = sourceName;
        this.origin = Objects.requireNonNull(origin, "origin");
        this.endedCaptures = Set.copyOf(new TreeSet<>(endedCaptures));
    }

    /** The split before anything was broadcast. */
    public static RulesSplit initial() {
        return new RulesSplit(0, null, null, Origin.FILE, Set.of());
    }

    @Override
    public String splitId() {
        return ID;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RulesSplit)) {
            return false;
        }
        RulesSplit s = (RulesSplit) o;
        return version == s.version && Objects.equals(text, s.text) && Objects.equals(sourceName, s.sourceName)
                && origin == s.origin && endedCaptures.equals(s.endedCaptures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, text, sourceName, origin, endedCaptures);
    }

    @Override
    public String toString() {
        return "RulesSplit{v" + version + " " + origin + " " + sourceName + ", ended captures " + endedCaptures + "}";
    }
}
