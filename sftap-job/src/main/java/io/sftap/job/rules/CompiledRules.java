package io.sftap.job.rules;

import io.sftap.job.classify.RulesException;
import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.flow.FlowProcessor;
import io.sftap.job.flow.FlowSettings;

/** A rules update compiled for use: the loaded configuration and the flow processor it sets up. */
public final class CompiledRules {
    public final long version;
    public final String text;
    public final SftapConfig config;
    public final FlowProcessor processor;

    private CompiledRules(long version, String text, SftapConfig config) {
        this.version = version;
        this.text = text;
        this.config = config;
        this.processor = new FlowProcessor(FlowSettings.of(config.global));
    }

    public static CompiledRules compile(RulesUpdate update) throws RulesException {
        return new CompiledRules(update.version, update.text, RulesFile.parse(update.text, update.sourceName));
    }
}
