package io.sftap.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.analyzer.sdk.FlowId;
import io.sftap.analyzer.sdk.L4;
import io.sftap.analyzer.sdk.Match;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven HTTP/1.x conversations through {@link HttpFlowTracker} and its two
 * {@link HttpMessageParser}s: each case is the client's bytes, the server's bytes, and the
 * exchanges expected, summarized as {@code METHOD uri -> status [req=N resp=M] flags}. Every case
 * runs with the bytes cut in chunks of 1, 2, 7 and all bytes, in two delivery orders.
 */
class HttpFlowTrackerTest {

    record Case(String name, String client, String server, List<String> want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("keep-alive with Content-Length",
                        "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
                        List.of("GET /a -> 200 req=0 resp=5", "GET /b -> 404 req=0 resp=0")),
                new Case("pipelined requests paired in order",
                        "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"
                                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nBB"
                                + "HTTP/1.1 202 Accepted\r\nContent-Length: 3\r\n\r\nCCC",
                        List.of("GET /1 -> 200 req=0 resp=1", "GET /2 -> 201 req=0 resp=2", "GET /3 -> 202 req=0 resp=3")),
                new Case("chunked response with trailers",
                        "GET /c HTTP/1.1\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                                + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: abc\r\n\r\n",
                        List.of("GET /c -> 200 req=0 resp=11 chunked trailers=x-sum")),
                new Case("chunked request body",
                        "POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        "HTTP/1.1 204 No Content\r\n\r\n",
                        List.of("POST /up -> 204 req=3 resp=0")),
                new Case("HEAD response has no body despite Content-Length",
                        "HEAD /h HTTP/1.1\r\n\r\nGET /g HTTP/1.1\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                        List.of("HEAD /h -> 200 req=0 resp=0", "GET /g -> 200 req=0 resp=2")),
                new Case("204 and 304 have no body",
                        "DELETE /d HTTP/1.1\r\n\r\nGET /n HTTP/1.1\r\n\r\nGET /z HTTP/1.1\r\n\r\n",
                        "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n"
                                + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz",
                        List.of("DELETE /d -> 204 req=0 resp=0", "GET /n -> 304 req=0 resp=0", "GET /z -> 200 req=0 resp=1")),
                new Case("100-continue before the final response",
                        "POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody",
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                        List.of("POST /p -> 200 req=4 resp=2 interim=[100]")),
                new Case("body delimited by connection close",
                        "GET /old HTTP/1.0\r\n\r\n",
                        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end",
                        List.of("GET /old -> 200 req=0 resp=13")),
                new Case("response cut off mid-body",
                        "GET /big HTTP/1.1\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b",
                        List.of("GET /big -> 200 req=0 resp=10 incomplete")),
                new Case("chunked response cut off",
                        "GET /c HTTP/1.1\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
                        List.of("GET /c -> 200 req=0 resp=3 chunked incomplete")),
                new Case("request without response",
                        "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                        List.of("GET /a -> 200 req=0 resp=0", "GET /b -> none req=0 incomplete")),
                new Case("request headers cut off",
                        "GET /a HTTP/1.1\r\nHost: x\r\nAcc",
                        "",
                        List.of("GET /a -> none req=0 incomplete")),
                new Case("CONNECT 200 ends HTTP parsing",
                        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\u0016\u0003\u0001\u0000\u00a5garbage",
                        "HTTP/1.1 200 Connection established\r\n\r\n\u0016\u0003\u0003binary tls",
                        List.of("CONNECT example.com:443 -> 200 req=0 resp=0")),
                new Case("refused CONNECT keeps parsing",
                        "CONNECT a:443 HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n",
                        "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"
                                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                        List.of("CONNECT a:443 -> 407 req=0 resp=0", "GET /after -> 200 req=0 resp=0")),
                new Case("101 Switching Protocols ends HTTP parsing",
                        "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0085frame",
                        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi",
                        List.of("GET /ws -> 101 req=0 resp=0")));
    }

    static Stream<Arguments> casesAndChunks() {
        return cases().flatMap(c -> Stream.of(1, 2, 7, Integer.MAX_VALUE)
                .flatMap(chunk -> Stream.of(true, false).map(clientFirst -> Arguments.of(c, chunk, clientFirst))));
    }

    @ParameterizedTest(name = "{0}, chunks of {1}, client first {2}")
    @MethodSource("casesAndChunks")
    void pairsExchangesAsExpected(Case c, int chunk, boolean clientFirst) throws Exception {
        List<String> got = new ArrayList<>();
        FlowId flow = FlowId.ordered(0, L4.TCP, InetAddress.getByName("10.0.0.1"), 40000,
                InetAddress.getByName("10.0.0.2"), 80);
        HttpFlowTracker tracker = new HttpFlowTracker(flow, 0, new HttpFlowTracker.Output() {
            @Override
            public void exchange(HttpExchange x) {
                got.add(summary(x));
            }

            @Override
            public void error(FlowId f, int clientFrom, boolean requestSide, String reason) {
                got.add("error " + reason);
            }
        });
        byte[] client = c.client().getBytes(StandardCharsets.ISO_8859_1);
        byte[] server = c.server().getBytes(StandardCharsets.ISO_8859_1);
        Instant t = Instant.ofEpochSecond(1);
        // Alternate the directions chunk by chunk, as a capture interleaves them.
        int ci = 0;
        int si = 0;
        boolean clientTurn = clientFirst;
        while (ci < client.length || si < server.length) {
            if (clientTurn && ci < client.length) {
                int n = Math.min(chunk, client.length - ci);
                tracker.onData(1, Match.UP, java.util.Arrays.copyOfRange(client, ci, ci + n), n, t);
                ci += n;
            } else if (!clientTurn && si < server.length) {
                int n = Math.min(chunk, server.length - si);
                tracker.onData(2, Match.DOWN, java.util.Arrays.copyOfRange(server, si, si + n), n, t);
                si += n;
            }
            clientTurn = !clientTurn;
        }
        tracker.finish(t);

        assertThat(got).isEqualTo(c.want());
    }

    static String summary(HttpExchange x) {
        HttpMessage q = x.request();
        HttpMessage r = x.response();
        StringBuilder sb = new StringBuilder();
        sb.append(q == null ? "?" : q.method() + " " + q.uri());
        sb.append(" -> ").append(r == null ? "none" : Integer.toString(r.status()));
        sb.append(" req=").append(q == null ? "-" : Long.toString(q.bodyLength()));
        if (r != null) {
            sb.append(" resp=").append(r.bodyLength());
            if (r.chunked()) {
                sb.append(" chunked");
            }
            if (!r.trailers().isEmpty()) {
                sb.append(" trailers=").append(String.join(",", r.trailers().stream().map(HttpMessage.Field::name).toList()));
            }
        }
        if (!x.interimStatuses().isEmpty()) {
            sb.append(" interim=").append(x.interimStatuses());
        }
        if (x.incomplete()) {
            sb.append(" incomplete");
        }
        return sb.toString();
    }
}
