package io.sftap.analyzer.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.analyzer.sdk.AnalyzerEvent;
import io.sftap.analyzer.sdk.FlowEventHeader;
import io.sftap.analyzer.sdk.FlowId;
import io.sftap.analyzer.sdk.L4;
import io.sftap.analyzer.sdk.Match;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONNECT tunnels found in proxy flows and handed on as inner flows. */
class ConnectTunnelTrackerTest {
    static final InetAddress CLIENT = addr("192.0.2.10");
    static final InetAddress PROXY = addr("198.51.100.3");
    static final FlowId OUTER = FlowId.ordered(0, L4.TCP, CLIENT, 40000, PROXY, 3128);
    static final Instant T = Instant.ofEpochSecond(100);

    final List<String> out = new ArrayList<>();
    final ConnectTunnelTracker tracker = new ConnectTunnelTracker(new TunnelOutput() {
        @Override
        public void created(FlowId inner, Instant time) {
            out.add("CREATED " + inner);
        }

        @Override
        public void data(FlowId inner, int from, byte[] bytes, Instant time) {
            out.add("DATA " + inner.ip(from).getHostAddress() + ":" + inner.port(from) + " "
                    + new String(bytes, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void destroyed(FlowId inner, Instant time) {
            out.add("DESTROYED " + inner);
        }
    });

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    void created() throws Exception {
        tracker.onEvent(new AnalyzerEvent(FlowEventHeader.created(OUTER, T), null));
    }

    void client(String s) throws Exception {
        send(OUTER.fromOf(CLIENT, 40000), s);
    }

    void proxy(String s) throws Exception {
        send(OUTER.fromOf(PROXY, 3128), s);
    }

    void send(int from, String s) throws Exception {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        tracker.onEvent(new AnalyzerEvent(FlowEventHeader.data(OUTER, from, Match.NONE, b.length, T), b));
    }

    void destroyed() throws Exception {
        tracker.onEvent(new AnalyzerEvent(FlowEventHeader.destroyed(OUTER, null, T), null));
    }

    @Test
    void reinjectsBothDirectionsAfterA2xxToTheLiteralTarget() throws Exception {
        FlowId inner = FlowId.ordered(0, L4.TCP, CLIENT, 40000, addr("203.0.113.7"), 8080);
        created();
        client("CONNECT 203.0.113.7:8080 HTTP/1.1\r\nHost: 203.0.113.7:8080\r\n\r\nGET / HTTP/1.1\r\n");
        assertThat(out).as("held until the proxy answers").isEmpty();
        proxy("HTTP/1.1 200 Connection established\r\n\r\n");
        client("Host: x\r\n\r\n");
        proxy("HTTP/1.1 204 No Content\r\n\r\n");
        destroyed();

        assertThat(out).containsExactly(
                "CREATED " + inner,
                "DATA 192.0.2.10:40000 GET / HTTP/1.1\r\n",
                "DATA 192.0.2.10:40000 Host: x\r\n\r\n",
                "DATA 203.0.113.7:8080 HTTP/1.1 204 No Content\r\n\r\n",
                "DESTROYED " + inner);
        assertThat(tracker.trackedFlows()).isZero();
    }

    @Test
    void keepsTheProxyAddressWithTheTargetPortForAHostName() throws Exception {
        created();
        client("CONNECT www.example.org:443 HTTP/1.1\r\n\r\n");
        proxy("HTTP/1.0 200 OK\r\n\r\n\u0016\u0003\u0003");
        assertThat(out).containsExactly(
                "CREATED " + FlowId.ordered(0, L4.TCP, CLIENT, 40000, PROXY, 443),
                "DATA 198.51.100.3:443 \u0016\u0003\u0003");
    }

    @Test
    void waitsForAnotherConnectAfterARefusal() throws Exception {
        created();
        client("CONNECT 203.0.113.7:80 HTTP/1.1\r\n\r\n");
        proxy("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
        assertThat(out).isEmpty();
        client("CONNECT 203.0.113.7:80 HTTP/1.1\r\nProxy-Authorization: Basic eDp5\r\n\r\n");
        proxy("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(out).containsExactly("CREATED " + FlowId.ordered(0, L4.TCP, CLIENT, 40000, addr("203.0.113.7"), 80));
    }

    @Test
    void ignoresProxyFlowsThatAreNotTunnels() throws Exception {
        created();
        client("GET http://example.org/ HTTP/1.1\r\n\r\n");
        proxy("HTTP/1.1 200 OK\r\n\r\n");
        destroyed();
        assertThat(out).isEmpty();
    }

    @Test
    void endsOpenInnerFlowsWhenTheSocketCloses() throws Exception {
        created();
        client("CONNECT [2001:db8::1]:80 HTTP/1.1\r\n\r\n");
        proxy("HTTP/1.1 200 OK\r\n\r\n");
        tracker.onDisconnected(null);
        assertThat(out).hasSize(2).last().asString()
                .as("an IPv6 target for an IPv4 client: the proxy's address").contains("198.51.100.3").startsWith("DESTROYED");
    }
}
