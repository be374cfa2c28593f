package io.sftap.analyzer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sftap.analyzer.sdk.AnalyzerEvent;
import io.sftap.analyzer.sdk.FlowId;
import io.sftap.analyzer.sdk.InterfaceClient;
import io.sftap.analyzer.sdk.L4;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns interface events into HTTP exchange JSON lines: one {@link HttpFlowTracker} per flow, per
 * socket (a flow never spans sockets, so each socket's map is touched by its own thread only).
 */
final class HttpEventListener implements InterfaceClient.Listener, HttpFlowTracker.Output {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<Path, Map<FlowId, HttpFlowTracker>> flows = new ConcurrentHashMap<>();
    private final HttpExchangeJson json;
    private final long captureLimit;
    private final PrintStream out;

    HttpEventListener(HttpExchangeJson json, long captureLimit, PrintStream out) {
        this.json = json;
        this.captureLimit = captureLimit;
        this.out = out;
    }

    @Override
    public void onEvent(Path socket, AnalyzerEvent event) {
        if (event.flow().l4() != L4.TCP) {
            return;
        }
        Map<FlowId, HttpFlowTracker> table = flows.computeIfAbsent(socket, s -> new HashMap<>());
        switch (event.event()) {
            case CREATED:
                table.computeIfAbsent(event.flow(), f -> new HttpFlowTracker(f, captureLimit, this));
                break;
            case DATA:
                table.computeIfAbsent(event.flow(), f -> new HttpFlowTracker(f, captureLimit, this))
                        .onData(event.header().from(), event.header().match(), event.data(), event.header().len(),
                                event.header().time());
                break;
            case DESTROYED: {
                HttpFlowTracker t = table.remove(event.flow());
                if (t != null) {
                    t.finish(event.header().time());
                }
                break;
            }
            default:
                break;
        }
    }

    @Override
    public void onDisconnected(Path socket, Exception cause) {
        if (cause != null) {
            System.err.println("sftap http analyzer: " + socket + ": " + cause.getMessage());
        }
        finishAll(socket);
    }

    /** Reports what is pending on every flow of {@code socket} (its connection is gone). */
    void finishAll(Path socket) {
        Map<FlowId, HttpFlowTracker> table = flows.remove(socket);
        if (table != null) {
            table.values().forEach(t -> t.finish(null));
        }
    }

    @Override
    public void exchange(HttpExchange exchange) {
        print(json.toJson(exchange));
    }

    @Override
    public void error(FlowId flow, int clientFrom, boolean requestSide, String reason) {
        print(json.error(flow, clientFrom, requestSide, reason));
    }

    private void print(ObjectNode o) {
        String line;
        try {
            line = MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
