package io.sftap.job.replicate.listen;

import org.apache.flink.api.connector.source.SourceSplit;

/** A split of the listen source: one endpoint. Immutable; a live socket has no position to keep. */
public final class ListenSplit implements SourceSplit {
    public final ListenEndpoint endpoint;

    public ListenSplit(ListenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public String splitId() {
        return endpoint.toString();
    }

    @Override
    public String toString() {
        return "ListenSplit{" + endpoint + "}";
    }
}
