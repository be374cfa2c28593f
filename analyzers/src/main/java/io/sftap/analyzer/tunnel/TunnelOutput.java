package io.sftap.analyzer.tunnel;

import io.sftap.analyzer.sdk.FlowId;
import java.io.IOException;
import java.time.Instant;

/** Where decapsulated flows go: usually a {@code LoopbackWriter}; a list in tests. */
public interface TunnelOutput {
    void created(FlowId inner, Instant time) throws IOException;

    /** {@code from} is 1 or 2 of {@code inner}. */
    void data(FlowId inner, int from, byte[] bytes, Instant time) throws IOException;

    void destroyed(FlowId inner, Instant time) throws IOException;
}
