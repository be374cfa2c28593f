package io.sftap.job.rules;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The rules input of the job: {@link RulesUpdate}s with increasing versions, validated before they
 * are broadcast. Run it with parallelism 1.
 *
 * <p>Bounded ({@link #fixed}): broadcasts the job's rules once and ends. Live ({@link #live}):
 * also broadcasts every change of a watched rules file and every push on the control socket
 * {@code <home>/control} (see {@link RulesControlServer}), and ends only when every capture
 * subtask reported the end of its replay there ({@code end i/n}), so bounded replays still finish.
 *
 * <p>Event time: the reader emits a {@code Long.MAX_VALUE} watermark before anything else, so the
 * rules input never holds back the flow abstractor's watermark (the minimum of its two inputs).
 *
 * <p>State: the rules in force, so a restored job keeps pushed rules and continues the version
 * numbers. On restore, rules pushed on the control socket stay; rules that came from a file are
 * replaced by the job's (or the watched file's) current rules if those differ.
 *
 * <pre>{@code
 * RulesSource rules = RulesSource.live(initial, Path.of("fabs.yaml"), Path.of("/tmp/sf-tap/control"));
 * env.fromSource(rules, WatermarkStrategy.noWatermarks(), "rules").setParallelism(1).uid("sftap-rules-source");
 * }</pre>
 */
@PublicEvolving
public final class RulesSource implements Source<RulesUpdate, RulesSplit, RulesEnumState>, ResultTypeQueryable<RulesUpdate> {
    private static final long serialVersionUID = 1L;

    /** How often a watched rules file is read. */
    public static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);

    private final RulesUpdate initial;
    private final boolean bounded;
    private final String watchedFile;
    private final String controlSocket;
    private final long watchIntervalMillis;

    private RulesSource(RulesUpdate initial, boolean bounded, Path watchedFile, Path controlSocket, Duration watchInterval) {
        this.initial = initial;
        this.bounded = bounded;
        this.watchedFile = watchedFile == null ? null : watchedFile.toAbsolutePath().toString();
        this.controlSocket = controlSocket == null ? null : controlSocket.toAbsolutePath().toString();
        this.watchIntervalMillis = watchInterval.toMillis();
    }

    /** Broadcasts {@code rules} and ends. */
    public static RulesSource fixed(RulesUpdate rules) {
        return new RulesSource(rules, true, null, null, WATCH_INTERVAL);
    }

    /** Broadcasts {@code rules}, then every change of {@code watchedFile} (nullable) and every push on {@code controlSocket}. */
    public static RulesSource live(RulesUpdate rules, Path watchedFile, Path controlSocket) {
        return live(rules, watchedFile, controlSocket, WATCH_INTERVAL);
    }

    public static RulesSource live(RulesUpdate rules, Path watchedFile, Path controlSocket, Duration watchInterval) {
        return new RulesSource(rules, false, watchedFile, controlSocket, watchInterval);
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RulesUpdate, RulesSplit> createReader(SourceReaderContext context) {
        return new RulesSourceReader(this);
    }

    @Override
    public SplitEnumerator<RulesSplit, RulesEnumState> createEnumerator(SplitEnumeratorContext<RulesSplit> context) {
        return new RulesEnumerator(context, RulesSplit.initial());
    }

    @Override
    public SplitEnumerator<RulesSplit, RulesEnumState> restoreEnumerator(
            SplitEnumeratorContext<RulesSplit> context, RulesEnumState state) {
        return new RulesEnumerator(context, state.unassigned);
    }

    @Override
    public SimpleVersionedSerializer<RulesSplit> getSplitSerializer() {
        return new RulesSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<RulesEnumState> getEnumeratorCheckpointSerializer() {
        return new RulesEnumStateSerializer();
    }

    @Override
    public TypeInformation<RulesUpdate> getProducedType() {
        return TypeInformation.of(RulesUpdate.class);
    }

    RulesUpdate initial() {
        return initial;
    }

    boolean bounded() {
        return bounded;
    }

    Path watchedFile() {
        return watchedFile == null ? null : Path.of(watchedFile);
    }

    Path controlSocket() {
        return controlSocket == null ? null : Path.of(controlSocket);
    }

    Duration watchInterval() {
        return Duration.ofMillis(watchIntervalMillis);
    }
}
