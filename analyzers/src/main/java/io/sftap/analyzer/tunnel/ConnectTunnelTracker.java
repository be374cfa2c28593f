package io.sftap.analyzer.tunnel;

import io.sftap.analyzer.sdk.AnalyzerEvent;
import io.sftap.analyzer.sdk.FlowId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds HTTP CONNECT tunnels in proxy flows and hands the tunnelled bytes on as an inner flow
 * (pure; no sockets). Not thread-safe: one tracker per interface socket.
 *
 * <p>Per proxy flow: the client's {@code CONNECT host:port HTTP/1.x} request (up to its blank
 * line) and the proxy's response headers are consumed; after a 2xx response everything else, in
 * both directions, belongs to the inner flow between the client and the target: CREATED, the
 * client's bytes sent after its request (held until the response came), then DATA as it comes,
 * and DESTROYED when the proxy flow ends. A non-2xx response (407 asking for credentials, 403)
 * sends the flow back to waiting for another CONNECT on the same connection.
 *
 * <p>The inner server is the target when the request names a literal IP of the client's address
 * family; for a host name (never resolved: the analyzer must not make DNS queries on traffic it
 * sees) it is the proxy's address with the target's port. The inner flow keeps the proxy flow's
 * hop; sftap adds one when it comes back through the loopback.
 */
public final class ConnectTunnelTracker {
    /** Request or response headers longer than this mean the flow is not a CONNECT tunnel. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    private static final Pattern REQUEST_LINE =
            Pattern.compile("^CONNECT (\\[[0-9A-Fa-f:.]+\\]|[^ :\\[\\]]+):([0-9]{1,5}) HTTP/1\\.[01]\r?\n");
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] ([0-9]{3})[ \r\n]");

    private final TunnelOutput out;
    private final Map<FlowId, Tunnel> flows = new HashMap<>();

    public ConnectTunnelTracker(TunnelOutput out) {
        this.out = out;
    }

    private enum Phase { REQUEST, RESPONSE, OPEN, NOT_A_TUNNEL }

    /** One proxy flow's progress. */
    private static final class Tunnel {
        Phase phase = Phase.REQUEST;
        int clientFrom; // 1 or 2 once the CONNECT request was seen
        final ByteArrayOutputStream client = new ByteArrayOutputStream();
        final ByteArrayOutputStream server = new ByteArrayOutputStream();
        FlowId inner;
        int innerClientFrom; // the client's from in the inner flow
    }

    /** Number of proxy flows tracked (tests). */
    public int trackedFlows() {
        return flows.size();
    }

    public void onEvent(AnalyzerEvent e) throws IOException {
        FlowId flow = e.flow();
        Instant time = e.header().time();
        switch (e.event()) {
            case CREATED:
                flows.put(flow, new Tunnel());
                return;
            case DESTROYED: {
                Tunnel t = flows.remove(flow);
                if (t != null && t.phase == Phase.OPEN) {
                    out.destroyed(t.inner, time);
                }
                return;
            }
            default:
                break;
        }
        Tunnel t = flows.computeIfAbsent(flow, f -> new Tunnel());
        int from = e.header().from();
        switch (t.phase) {
            case OPEN:
                if (e.data().length > 0) {
                    out.data(t.inner, innerFrom(t, from), e.data(), time);
                }
                return;
            case NOT_A_TUNNEL:
                return;
            default:
                if (t.clientFrom == 0) {
                    t.clientFrom = from; // who speaks first may be the client; REQUEST_LINE decides
                }
                (from == t.clientFrom ? t.client : t.server).writeBytes(e.data());
                advance(flow, t, time);
        }
    }

    /** The proxy flows' socket closed: their inner flows end. */
    public void onDisconnected(Instant time) throws IOException {
        for (Tunnel t : List.copyOf(flows.values())) {
            if (t.phase == Phase.OPEN) {
                out.destroyed(t.inner, time);
            }
        }
        flows.clear();
    }

    private void advance(FlowId flow, Tunnel t, Instant time) throws IOException {
        while (true) {
            if (t.phase == Phase.REQUEST) {
                byte[] c = t.client.toByteArray();
                int end = headerEnd(c);
                if (end < 0) {
                    if (c.length > MAX_HEADER_BYTES || (c.length >= 8 && !startsWith(c, "CONNECT "))) {
                        giveUp(t);
                    }
                    return;
                }
                Matcher m = REQUEST_LINE.matcher(new String(c, 0, end, StandardCharsets.ISO_8859_1));
                if (!m.find()) {
                    giveUp(t);
                    return;
                }
                int port = Integer.parseInt(m.group(2));
                if (port == 0 || port > 65535) {
                    giveUp(t);
                    return;
                }
                t.inner = innerFlow(flow, t.clientFrom, m.group(1), port);
                t.innerClientFrom = t.inner.fromOf(flow.ip(t.clientFrom), flow.port(t.clientFrom));
                keepFrom(t.client, c, end);
                t.phase = Phase.RESPONSE;
            }
            if (t.phase == Phase.RESPONSE) {
                byte[] s = t.server.toByteArray();
                int end = headerEnd(s);
                if (end < 0) {
                    if (s.length > MAX_HEADER_BYTES) {
                        giveUp(t);
                    }
                    return;
                }
                Matcher m = STATUS_LINE.matcher(new String(s, 0, end, StandardCharsets.ISO_8859_1));
                if (!m.find()) {
                    giveUp(t);
                    return;
                }
                int status = Integer.parseInt(m.group(1));
                keepFrom(t.server, s, end);
                if (status == 100) {
                    continue; // an interim response; the real one follows
                }
                if (status < 200 || status > 299) {
                    t.phase = Phase.REQUEST; // refused: the client may try again on this connection
                    t.server.reset();
                    continue;
                }
                open(t, time);
                return;
            }
            return;
        }
    }

    private void open(Tunnel t, Instant time) throws IOException {
        t.phase = Phase.OPEN;
        out.created(t.inner, time);
        byte[] c = t.client.toByteArray();
        byte[] s = t.server.toByteArray();
        if (c.length > 0) {
            out.data(t.inner, innerFrom(t, t.clientFrom), c, time);
        }
        if (s.length > 0) {
            out.data(t.inner, innerFrom(t, 3 - t.clientFrom), s, time);
        }
        t.client.reset();
        t.server.reset();
    }

    private static void giveUp(Tunnel t) {
        t.phase = Phase.NOT_A_TUNNEL;
        t.client.reset();
        t.server.reset();
    }

    /** The inner flow's {@code from} of bytes the proxy flow's endpoint {@code outerFrom} sent. */
    private static int innerFrom(Tunnel t, int outerFrom) {
        return outerFrom == t.clientFrom ? t.innerClientFrom : 3 - t.innerClientFrom;
    }

    /** The inner flow between the client and the target (see the class comment). */
    static FlowId innerFlow(FlowId outer, int clientFrom, String host, int port) {
        InetAddress client = outer.ip(clientFrom);
        int clientPort = outer.port(clientFrom);
        InetAddress server = outer.ip(3 - clientFrom);
        InetAddress literal = literal(host);
        if (literal != null && (literal instanceof Inet4Address) == (client instanceof Inet4Address)) {
            server = literal;
        }
        return FlowId.ordered(outer.hop(), outer.l4(), client, clientPort, server, port);
    }

    private static InetAddress literal(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = h.indexOf(':') >= 0 && h.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null; // a name: never resolved
        }
        try {
            return InetAddress.getByName(h);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static int headerEnd(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || (b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n'))) {
                return b[i + 1] == '\n' ? i + 2 : i + 3;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, String prefix) {
        return new String(b, 0, Math.min(b.length, prefix.length()), StandardCharsets.ISO_8859_1).equals(prefix);
    }

    private static void keepFrom(ByteArrayOutputStream buf, byte[] all, int from) {
        buf.reset();
        buf.write(all, from, all.length - from);
    }
}
