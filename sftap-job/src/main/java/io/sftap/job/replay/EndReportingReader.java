package io.sftap.job.replay;

import io.sftap.job.rules.RulesControlClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a capture reader and, when it reaches the end of its input, reports {@code end i/n} on the
 * rules control socket, so the live rules source ends once all captures did. Retries for a while
 * if the control socket is not up yet; the report is idempotent.
 */
@Internal
final class EndReportingReader<T, S extends SourceSplit> implements SourceReader<T, S> {
    private static final Logger LOG = LoggerFactory.getLogger(EndReportingReader.class);
    private static final long RETRY_MILLIS = 30_000;

    private final SourceReader<T, S> inner;
    private final Path controlSocket;
    private final int subtask;
    private final int parallelism;
    private boolean reported;

    EndReportingReader(SourceReader<T, S> inner, Path controlSocket, int subtask, int parallelism) {
        this.inner = inner;
        this.controlSocket = controlSocket;
        this.subtask = subtask;
        this.parallelism = parallelism;
    }

    @Override
    public void start() {
        inner.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        InputStatus status = inner.pollNext(output);
        if (status == InputStatus.END_OF_INPUT && !reported) {
            reported = true;
            report();
        }
        return status;
    }

    private void report() throws InterruptedException {
        long deadline = System.currentTimeMillis() + RETRY_MILLIS;
        while (true) {
            try {
                String reply = RulesControlClient.end(controlSocket, subtask, parallelism);
                LOG.info("capture subtask {}/{} finished; rules source answered: {}", subtask, parallelism, reply);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    LOG.warn("capture finished but the rules control socket {} did not answer ({}); "
                            + "stop the job yourself", controlSocket, e.toString());
                    return;
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public List<S> snapshotState(long checkpointId) {
        return inner.snapshotState(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return inner.isAvailable();
    }

    @Override
    public void addSplits(List<S> splits) {
        inner.addSplits(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
        inner.notifyNoMoreSplits();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        inner.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void pauseOrResumeSplits(Collection<String> paused, Collection<String> resumed) {
        inner.pauseOrResumeSplits(paused, resumed);
    }

    @Override
    public void close() throws Exception {
        inner.close();
    }
}
