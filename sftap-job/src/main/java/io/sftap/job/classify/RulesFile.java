package io.sftap.job.classify;

import java.nio.file.Path;

/** Loads and validates rules files (SF-TAP's fabs.yaml format plus sftap's extensions). */
public final class RulesFile {
    private RulesFile() {}

    public static SftapConfig load(Path file) throws RulesException {
        throw new UnsupportedOperationException("to be implemented");
    }

    public static SftapConfig parse(String yamlText, String sourceName) throws RulesException {
        throw new UnsupportedOperationException("to be implemented");
    }

    /** sftap's own default rules (a resource of this module). */
    public static SftapConfig defaults() {
        throw new UnsupportedOperationException("to be implemented");
    }
}
