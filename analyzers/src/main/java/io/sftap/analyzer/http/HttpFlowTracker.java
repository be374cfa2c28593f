package io.sftap.analyzer.http;

import io.sftap.analyzer.sdk.FlowId;
import io.sftap.analyzer.sdk.Match;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Follows the HTTP conversation of one flow: feeds each direction's bytes to its parser, pairs
 * responses with requests in order (pipelining) and hands out finished exchanges in request order.
 *
 * <p>The client is the side whose DATA matched the rule's {@code up} pattern; when no match is
 * given, the side whose first bytes are not a status line.
 */
public final class HttpFlowTracker {
    /** Receives the results of one flow. */
    public interface Output {
        void exchange(HttpExchange exchange);

        /** The bytes of one direction are not HTTP; that direction is ignored from here on. */
        void error(FlowId flow, int clientFrom, boolean requestSide, String reason);
    }

    private final FlowId flow;
    private final long captureLimit;
    private final Output out;

    private int clientFrom; // 0 until the first DATA
    private HttpMessageParser requestParser;
    private HttpMessageParser responseParser;
    // Invariant: exchanges in request order; those with a response precede those without.
    private final Deque<HttpExchange> pending = new ArrayDeque<>();
    private boolean noBodies;

    public HttpFlowTracker(FlowId flow, long captureLimit, Output out) {
        this.flow = flow;
        this.captureLimit = captureLimit;
        this.out = out;
    }

    /** DATA sent by endpoint {@code from}; {@code len} is the header's length (bytes may be absent with body: no). */
    public void onData(int from, Match match, byte[] data, int len, Instant time) {
        if (from != 1 && from != 2 || noBodies) {
            return;
        }
        if (data.length < len) {
            noBodies = true;
            out.error(flow, clientFrom == 0 ? from : clientFrom, true,
                    "the interface sends no data bytes (body: no); HTTP cannot be parsed");
            return;
        }
        if (clientFrom == 0) {
            start(from, match, data);
        }
        (from == clientFrom ? requestParser : responseParser).feed(data, 0, data.length, time);
    }

    /** The flow ended (DESTROYED, or the interface connection was lost). */
    public void finish(Instant time) {
        if (clientFrom != 0) {
            requestParser.finish(time);
            responseParser.finish(time);
        }
        while (!pending.isEmpty()) {
            out.exchange(pending.poll());
        }
    }

    private void start(int from, Match match, byte[] first) {
        boolean senderIsClient;
        if (match == Match.UP) {
            senderIsClient = true;
        } else if (match == Match.DOWN) {
            senderIsClient = false;
        } else {
            String head = new String(first, 0, Math.min(first.length, 5), StandardCharsets.ISO_8859_1);
            senderIsClient = !head.startsWith("HTTP/");
        }
        clientFrom = senderIsClient ? from : 3 - from;
        requestParser = HttpMessageParser.forRequests(new RequestSide(), captureLimit);
        responseParser = HttpMessageParser.forResponses(new ResponseSide(), this::nextUnansweredMethod, captureLimit);
    }

    private String nextUnansweredMethod() {
        HttpExchange e = firstUnanswered();
        return e == null || e.request() == null ? null : e.request().method();
    }

    private HttpExchange firstUnanswered() {
        for (HttpExchange e : pending) {
            if (e.response() == null) {
                return e;
            }
        }
        return null;
    }

    private void drain() {
        while (!pending.isEmpty() && pending.peek().done()) {
            out.exchange(pending.poll());
        }
    }

    private final class RequestSide implements HttpMessageParser.Listener {
        @Override
        public void onHead(HttpMessage request) {
            pending.add(new HttpExchange(flow, clientFrom, request));
            responseParser.resume();
        }

        @Override
        public void onMessage(HttpMessage request) {
            if (pending.stream().noneMatch(e -> e.request() == request)) {
                // Cut off by the end of the flow before its head was complete.
                pending.add(new HttpExchange(flow, clientFrom, request));
            }
            drain();
        }

        @Override
        public void onError(String reason, HttpMessage partial) {
            out.error(flow, clientFrom, true, reason);
        }
    }

    private final class ResponseSide implements HttpMessageParser.Listener {
        @Override
        public void onHead(HttpMessage response) {
            if (response.isInterim()) {
                HttpExchange e = firstUnanswered();
                if (e != null) {
                    e.interimStatuses().add(response.status());
                }
                return;
            }
            HttpExchange e = firstUnanswered();
            if (e == null) {
                e = new HttpExchange(flow, clientFrom, null); // its request was not seen
                pending.add(e);
            }
            e.setResponse(response);
            HttpMessage req = e.request();
            if (req == null) {
                return;
            }
            int status = response.status();
            boolean switched = "CONNECT".equals(req.method()) && status >= 200 && status < 300 || status == 101;
            if ("CONNECT".equals(req.method()) || req.header("upgrade") != null) {
                requestParser.answerHold(switched);
            } else if (switched) {
                requestParser.stop();
            }
        }

        @Override
        public void onMessage(HttpMessage response) {
            if (!response.isInterim() && pending.stream().noneMatch(e -> e.response() == response)) {
                // Cut off by the end of the flow before its head was complete.
                HttpExchange e = firstUnanswered();
                if (e == null) {
                    e = new HttpExchange(flow, clientFrom, null);
                    pending.add(e);
                }
                e.setResponse(response);
            }
            drain();
        }

        @Override
        public void onError(String reason, HttpMessage partial) {
            out.error(flow, clientFrom, false, reason);
        }
    }
}
