package io.sftap.job.classify;

/** A rules file that cannot be used: says the file, line, rule and what is wrong. */
public final class RulesException extends Exception {
    private static final long serialVersionUID = 1L;

    public final String file;
    /** 1-based line, or 0 when unknown. */
    public final int line;
    /** Rule (section) name, or null for file-level problems. */
    public final String rule;
    public final String problem;

    public RulesException(String file, int line, String rule, String problem) {
        super(file + (line > 0 ? ":" + line : "") + (rule != null ? ": rule '" + rule + "'" : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.rule = rule;
        this.problem = problem;
    }
}
