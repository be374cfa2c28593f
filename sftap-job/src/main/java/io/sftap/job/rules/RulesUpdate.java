package io.sftap.job.rules;

/**
 * A rules file pushed to the running job: its whole text, broadcast to every flow-abstractor
 * subtask, which compiles it itself (compiled patterns are not serializable, text is).
 *
 * <p>A Flink POJO.
 */
public class RulesUpdate implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Increases with every push; a subtask ignores updates older than the rules it holds. */
    public long version;
    /** The rules file as text (YAML). */
    public String text;
    /** Where it came from (file name), for messages. */
    public String sourceName;

    public RulesUpdate() {}

    public RulesUpdate(long version, String text, String sourceName) {
        this.version = version;
        this.text = text;
        this.sourceName = sourceName;
    }

    @Override
    public String toString() {
        return "RulesUpdate{v" + version + " from " + sourceName + ", " + text.length() + " chars}";
    }
}
