package io.sftap.source.reader;

import io.sftap.source.pcap.CaptureFileReader;
import io.sftap.source.pcap.CaptureFiles;
import io.sftap.source.pcap.CaptureRecord;
import io.sftap.source.split.CaptureSplit;
import java.io.IOException;
import org.apache.flink.annotation.Internal;

/** A capture file as a {@link CaptureInput}: reads from the split's position to the end, never waits. */
@Internal
final class FileCaptureInput implements CaptureInput {
    private final CaptureFileReader file;
    private long malformedSeen;

    private FileCaptureInput(CaptureFileReader file) {
        this.file = file;
    }

    static FileCaptureInput open(CaptureSplit split) throws IOException {
        CaptureFileReader reader = CaptureFiles.open(split.path());
        try {
            if (split.startingPosition() != 0) {
                reader.seek(split.startingPosition());
            }
        } catch (IOException e) {
            reader.close();
            throw e;
        }
        return new FileCaptureInput(reader);
    }

    @Override
    public int read(CaptureRecord record, boolean mayWait) throws IOException {
        if (file.next(record)) {
            return FRAME;
        }
        if (file.malformedRecords() > malformedSeen) {
            malformedSeen = file.malformedRecords();
            return MALFORMED;
        }
        return END;
    }

    @Override
    public long position() {
        return file.position();
    }

    @Override
    public long maxBatchDelayNanos() {
        return Long.MAX_VALUE;
    }

    @Override
    public void wakeUp() {
        // read() never blocks.
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
