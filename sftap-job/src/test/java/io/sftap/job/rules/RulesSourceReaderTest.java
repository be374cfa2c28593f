package io.sftap.job.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.ArrayList;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;

/** The rules source's reader: what it emits and when a bounded one may end. */
class RulesSourceReaderTest {
    private static final RulesUpdate RULES = new RulesUpdate(1, "tcp_default:\n  if: default\n", "test.yaml");

    @Test
    void boundedReaderEndsOnlyAfterTheEnumeratorSaidNoMoreSplits() throws Exception {
        RulesSourceReader reader = new RulesSourceReader(RulesSource.fixed(RULES));
        RecordingOutput out = new RecordingOutput();
        reader.start();
        reader.addSplits(List.of(RulesSplit.initial()));

        assertThat(reader.pollNext(out)).isEqualTo(InputStatus.MORE_AVAILABLE);
        assertThat(out.records).extracting(u -> u.text).containsExactly(RULES.text);
        assertThat(out.watermarks).containsExactly(Long.MAX_VALUE);
        // Ending now would make the enumerator's pending "no more splits" event fail the job.
        assertThat(reader.pollNext(out)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        assertThat(reader.isAvailable()).isNotDone();

        reader.notifyNoMoreSplits();
        assertThat(reader.isAvailable()).isDone();
        assertThat(reader.pollNext(out)).isEqualTo(InputStatus.END_OF_INPUT);
        reader.close();
    }

    /** Records what the reader emits. */
    private static final class RecordingOutput implements ReaderOutput<RulesUpdate> {
        final List<RulesUpdate> records = new ArrayList<>();
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void collect(RulesUpdate record) {
            records.add(record);
        }

        @Override
        public void collect(RulesUpdate record, long timestamp) {
            records.add(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<RulesUpdate> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
