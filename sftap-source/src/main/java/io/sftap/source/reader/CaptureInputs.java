package io.sftap.source.reader;

import io.sftap.source.live.InjectionSocketInput;
import io.sftap.source.live.InterfaceCaptureInput;
import io.sftap.source.split.CaptureSplit;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.MetricGroup;

/** Opens the input of any split kind: files, live interfaces (libpcap), the injection socket. */
@Internal
public final class CaptureInputs implements CaptureInputFactory {
    private final MetricGroup sftapGroup;

    /** @param sftapGroup where live inputs add their metrics; null for none */
    public CaptureInputs(MetricGroup sftapGroup) {
        this.sftapGroup = sftapGroup;
    }

    @Override
    public CaptureInput open(CaptureSplit split) throws IOException {
        switch (split.kind()) {
            case FILE:
                return FileCaptureInput.open(split);
            case INTERFACE:
                return InterfaceCaptureInput.open(split.location(), split.liveOptions(), sftapGroup);
            case INJECT:
                return InjectionSocketInput.open(Path.of(split.location()), sftapGroup);
            default:
                throw new IOException("no input for " + split);
        }
    }
}
