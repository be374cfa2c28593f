package io.sftap.analyzer.http;

import io.sftap.analyzer.sdk.FlowId;
import java.util.ArrayList;
import java.util.List;

/**
 * One request and the response that answers it, on one flow; either side may be missing when the
 * connection ended early or the capture began mid-connection.
 */
public final class HttpExchange {
    private final FlowId flow;
    private final int clientFrom;
    private final HttpMessage request;
    private HttpMessage response;
    private final List<Integer> interimStatuses = new ArrayList<>();

    HttpExchange(FlowId flow, int clientFrom, HttpMessage request) {
        this.flow = flow;
        this.clientFrom = clientFrom;
        this.request = request;
    }

    public FlowId flow() {
        return flow;
    }

    /** The {@code from} value (1 or 2) of the client endpoint. */
    public int clientFrom() {
        return clientFrom;
    }

    public int serverFrom() {
        return 3 - clientFrom;
    }

    public HttpMessage request() {
        return request;
    }

    public HttpMessage response() {
        return response;
    }

    /** Status codes of 1xx responses (such as 100 Continue) that came before the final one. */
    public List<Integer> interimStatuses() {
        return interimStatuses;
    }

    /** Whether a part is missing or was cut off. */
    public boolean incomplete() {
        return request == null || !request.complete() || response == null || !response.complete();
    }

    boolean done() {
        return response != null && response.complete() && (request == null || request.complete());
    }

    void setResponse(HttpMessage response) {
        this.response = response;
    }
}
