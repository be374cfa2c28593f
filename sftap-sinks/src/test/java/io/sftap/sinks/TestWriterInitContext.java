package io.sftap.sinks;

import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.MetricsGroupTestUtils;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/** A writer context for subtask {@code index} of {@code parallelism} whose metrics tests can read. */
final class TestWriterInitContext implements WriterInitContext {
    private final MetricListener metrics = new MetricListener();
    private final SinkWriterMetricGroup metricGroup = MetricsGroupTestUtils.mockWriterMetricGroup(metrics.getMetricGroup());
    private final TaskInfo taskInfo;

    TestWriterInitContext(int index, int parallelism) {
        this.taskInfo = new TaskInfoImpl("interfaces", parallelism, index, parallelism, 0);
    }

    /** A counter under the writer's {@code sftap} group, e.g. {@code counter("drop", "overflow")}. */
    long counter(String... path) {
        return metrics.getCounter(sftap(path)).map(Counter::getCount)
                .orElseThrow(() -> new AssertionError("no counter " + String.join(".", path)));
    }

    /** A gauge under the writer's {@code sftap} group. */
    Object gauge(String... path) {
        return metrics.getGauge(sftap(path)).map(Gauge::getValue)
                .orElseThrow(() -> new AssertionError("no gauge " + String.join(".", path)));
    }

    private static String[] sftap(String... path) {
        String[] full = new String[path.length + 1];
        full[0] = UnixSocketSinkWriter.METRIC_GROUP;
        System.arraycopy(path, 0, full, 1, path.length);
        return full;
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
    }

    @Override
    public MailboxExecutor getMailboxExecutor() {
        throw new UnsupportedOperationException("the interface sink uses no mailbox");
    }

    /**
     * Timers fire at once, on the caller's thread (as Flink's fire on the task's): the writer's
     * staged events are written right after each event, so tests read them without waiting.
     */
    @Override
    public ProcessingTimeService getProcessingTimeService() {
        return new ProcessingTimeService() {
            @Override
            public long getCurrentProcessingTime() {
                return System.currentTimeMillis();
            }

            @Override
            public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback callback) {
                try {
                    callback.onProcessingTime(timestamp);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }
        };
    }

    @Override
    public SinkWriterMetricGroup metricGroup() {
        return metricGroup;
    }

    @Override
    public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isObjectReuseEnabled() {
        return false;
    }

    @Override
    public <IN> TypeSerializer<IN> createInputSerializer() {
        throw new UnsupportedOperationException();
    }

    @Override
    public OptionalLong getRestoredCheckpointId() {
        return OptionalLong.empty();
    }

    @Override
    public JobInfo getJobInfo() {
        return new JobInfoImpl(new JobID(), "test");
    }

    @Override
    public TaskInfo getTaskInfo() {
        return taskInfo;
    }
}
