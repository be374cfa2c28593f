package io.sftap.job.classify;

/** A loaded rules file: global settings, classification rules, forwarding rules. */
public final class SftapConfig {
    public final GlobalSettings global;
    public final RuleSet rules;
    /** The text it was loaded from (broadcast to the job as is and compiled on each subtask). */
    public final String sourceText;
    /** File name or other origin, for messages. */
    public final String sourceName;

    public SftapConfig(GlobalSettings global, RuleSet rules, String sourceText, String sourceName) {
        this.global = global;
        this.rules = rules;
        this.sourceText = sourceText;
        this.sourceName = sourceName;
    }
}
