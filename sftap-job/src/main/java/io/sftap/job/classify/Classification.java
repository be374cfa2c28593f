package io.sftap.job.classify;

import io.sftap.sinks.event.Match;
import io.sftap.source.wire.Direction;

/** The outcome of classifying a flow: the rule that matched and where its events go. */
public final class Classification {
    /** Rule name (the YAML section), e.g. {@code http}, or {@code tcp_default}. */
    public final String ruleName;
    public final InterfaceSpec iface;
    /**
     * The endpoint whose bytes matched the rule's {@code up} pattern; {@link Direction#NONE} for
     * port-only and default rules (every DATA event then has {@code match=none}).
     */
    public final Direction upSide;
    /** True when a regex rule matched; false for port-only and default rules. */
    public final boolean byPattern;

    public Classification(String ruleName, InterfaceSpec iface, Direction upSide, boolean byPattern) {
        this.ruleName = ruleName;
        this.iface = iface;
        this.upSide = upSide;
        this.byPattern = byPattern;
    }

    /** The {@code match} value of DATA sent by {@code from}. */
    public Match matchFor(Direction from) {
        return matchFor(upSide, from);
    }

    /** The {@code match} value of DATA sent by {@code from} when {@code upSide} matched {@code up}. */
    public static Match matchFor(Direction upSide, Direction from) {
        if (upSide == Direction.NONE) {
            return Match.NONE;
        }
        return from == upSide ? Match.UP : Match.DOWN;
    }
}
