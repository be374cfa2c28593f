package io.sftap.source.reader;

import io.sftap.source.split.CaptureSplit;
import io.sftap.source.split.CaptureSplitKind;
import java.io.IOException;
import org.apache.flink.annotation.Internal;

/** Opens the {@link CaptureInput} of a split (a file, an interface, the injection socket). */
@Internal
@FunctionalInterface
public interface CaptureInputFactory {
    /** Opens capture files only; other kinds are refused with a clear message. */
    CaptureInputFactory FILES_ONLY = split -> {
        if (split.kind() != CaptureSplitKind.FILE) {
            throw new IOException("this reader reads capture files only, not " + split);
        }
        return FileCaptureInput.open(split);
    };

    CaptureInput open(CaptureSplit split) throws IOException;
}
