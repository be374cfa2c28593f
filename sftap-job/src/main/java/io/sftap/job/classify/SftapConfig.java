package io.sftap.job.classify;

import java.util.List;

/** A loaded rules file: global settings, classification rules, input sockets, forwarding rules. */
public final class SftapConfig {
    public final GlobalSettings global;
    public final RuleSet rules;
    /** The text it was loaded from (broadcast to the job as is and compiled on each subtask). */
    public final String sourceText;
    /** File name or other origin, for messages. */
    public final String sourceName;
    /** Forwarding rules for the replicator, in file order (empty when the file has none). */
    public final List<ForwardRule> forwards;
    /** The {@code loopback7} input socket, or null when the file has none. */
    public final InputSpec loopback7;
    /** The {@code pcap} input socket, or null when the file has none. */
    public final InputSpec pcap;

    public SftapConfig(GlobalSettings global, RuleSet rules, String sourceText, String sourceName) {
        this(global, rules, sourceText, sourceName, List.of(), null, null);
    }

    public SftapConfig(GlobalSettings global, RuleSet rules, String sourceText, String sourceName,
            List<ForwardRule> forwards, InputSpec loopback7, InputSpec pcap) {
        this.global = global;
        this.rules = rules;
        this.sourceText = sourceText;
        this.sourceName = sourceName;
        this.forwards = List.copyOf(forwards);
        this.loopback7 = loopback7;
        this.pcap = pcap;
    }
}
