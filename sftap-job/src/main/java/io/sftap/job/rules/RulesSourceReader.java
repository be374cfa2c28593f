package io.sftap.job.rules;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reader of the {@link RulesSource}. Order of calls: {@link #addSplits} (the restored or initial
 * split) decides what to broadcast first and, when live, starts the control socket and the file
 * watcher; {@link #pollNext} emits the maximal watermark once, then each accepted update; it ends
 * when bounded and done, or when every capture subtask reported its end; {@link #close} stops the
 * threads and removes the control socket.
 */
@Internal
final class RulesSourceReader implements SourceReader<RulesUpdate, RulesSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(RulesSourceReader.class);

    private final RulesSource source;
    private volatile CompletableFuture<Void> available = new CompletableFuture<>();
    private RulesIntake intake;
    /** The rules broadcast last (what a checkpoint records). */
    private RulesSplit emitted;
    private boolean noMoreSplits;
    private boolean watermarkSent;
    private RulesControlServer control;
    private RulesFileWatcher watcher;

    RulesSourceReader(RulesSource source) {
        this.source = source;
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<RulesSplit> splits) {
        if (splits.isEmpty() || intake != null) {
            return;
        }
        emitted = splits.get(0);
        intake = new RulesIntake(emitted, this::signal);
        RulesUpdate initial = source.initial();
        Path file = source.watchedFile();
        String fileText = file == null ? null : RulesFileWatcher.read(file);
        if (emitted.text == null || emitted.origin == RulesSplit.Origin.FILE || source.bounded()) {
            // The job's rules file wins over rules of a file that were in force before a restore.
            String text = fileText != null ? fileText : initial.text;
            String name = fileText != null ? file.toString() : initial.sourceName;
            String reply = intake.submit(text, name, RulesSplit.Origin.FILE);
            if (!reply.startsWith("OK")) {
                LOG.error("rules at start refused, {}: {}", emitted.text == null ? "using the job's" : "keeping the restored", reply);
                if (emitted.text == null) {
                    intake.submit(initial.text, initial.sourceName, RulesSplit.Origin.FILE);
                }
            }
        }
        if (!source.bounded()) {
            startLive(file, fileText);
        }
        signal();
    }

    private void startLive(Path file, String fileText) {
        if (file != null) {
            watcher = new RulesFileWatcher(file, fileText, intake, source.watchInterval());
        }
        if (source.controlSocket() != null) {
            try {
                control = new RulesControlServer(source.controlSocket(), intake);
            } catch (IOException e) {
                throw new IllegalStateException("cannot open the rules control socket " + source.controlSocket() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RulesUpdate> output) {
        if (!watermarkSent) {
            // The rules input must never hold back event time at the two-input flow abstractor.
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
            watermarkSent = true;
        }
        if (intake == null) {
            return noMoreSplits ? InputStatus.END_OF_INPUT : waitForMore();
        }
        RulesSplit next = intake.poll();
        if (next != null) {
            emitted = next;
            output.collect(new RulesUpdate(next.version, next.text, next.sourceName));
            LOG.info("broadcasting rules v{} from {}", next.version, next.sourceName);
            return InputStatus.MORE_AVAILABLE;
        }
        // Bounded: end only once the enumerator's "no more splits" has arrived too; a reader that
        // finished before that event would make the coordinator's send fail the job
        // (TaskNotRunningException: "Task is not running, but in state FINISHED").
        if ((source.bounded() && noMoreSplits) || intake.capturesEnded()) {
            return InputStatus.END_OF_INPUT;
        }
        return waitForMore();
    }

    private InputStatus waitForMore() {
        available = new CompletableFuture<>();
        boolean canEnd = noMoreSplits && (intake == null || source.bounded());
        if ((intake != null && (intake.hasQueued() || intake.capturesEnded())) || canEnd) {
            available.complete(null);
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void signal() {
        available.complete(null);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public List<RulesSplit> snapshotState(long checkpointId) {
        if (emitted == null) {
            return List.of();
        }
        return List.of(new RulesSplit(emitted.version, emitted.text, emitted.sourceName, emitted.origin,
                intake.endedCaptures()));
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        signal();
    }

    @Override
    public void close() throws Exception {
        if (watcher != null) {
            watcher.close();
        }
        if (control != null) {
            control.close();
        }
    }
}
