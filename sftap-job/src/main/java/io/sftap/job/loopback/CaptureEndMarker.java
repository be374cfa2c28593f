package io.sftap.job.loopback;

import io.sftap.source.wire.Packet;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pass-through operator after the capture source that reports the end of a replay's input to
 * {@link CaptureEndSignal}, so the loopback source of a replay can end once analyzers are done.
 * Stateless.
 */
public final class CaptureEndMarker extends AbstractStreamOperator<Packet>
        implements OneInputStreamOperator<Packet, Packet>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final String token;

    public CaptureEndMarker(String token) {
        this.token = token;
    }

    @Override
    public void processElement(StreamRecord<Packet> element) {
        output.collect(element);
    }

    @Override
    public void endInput() {
        CaptureEndSignal.arrive(token, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    }
}
