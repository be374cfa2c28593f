package io.sftap.bench.gen;

import io.sftap.source.wire.TcpFlags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The packets of one kind of session (class, shape, reordering, retransmission, fragments),
 * computed once: a session is a template plus its endpoints and initial sequence numbers, so the
 * generator keeps no per-session objects however many sessions are open.
 */
final class SessionTemplate {
    static final int SEGMENT = 1400;
    static final int FRAGMENT = 1480;

    final AppClass app;
    final SessionShape shape;
    final boolean reordered;
    final boolean retransmitted;
    final boolean fragmented;
    final List<SessionStep> steps = new ArrayList<>();
    /** Payload bytes the client (endpoint that opened) and the server send, each counted once. */
    long clientBytes;
    long serverBytes;

    private SessionTemplate(AppClass app, SessionShape shape, boolean reordered, boolean retransmitted,
            boolean fragmented) {
        this.app = app;
        this.shape = shape;
        this.reordered = reordered;
        this.retransmitted = retransmitted;
        this.fragmented = fragmented;
    }

    static SessionTemplate of(AppClass app, SessionShape shape, int bulkSegments, int responseBytes,
            boolean reordered, boolean retransmitted, boolean fragmented) {
        SessionTemplate t = new SessionTemplate(app, shape, reordered, retransmitted, fragmented);
        if (app.protocol == 17) {
            t.udp(fragmented ? 2 * FRAGMENT + 100 : responseBytes);
        } else {
            t.tcp(shape == SessionShape.BULK ? bulkSegments * SEGMENT : responseBytes, shape == SessionShape.BULK);
        }
        return t;
    }

    private void udp(int responseBytes) {
        byte[] q = app.request();
        byte[] r = app.response(responseBytes);
        steps.add(new SessionStep(true, 0, 0, 0, q, 0));
        steps.add(new SessionStep(false, 0, 0, 0, r, fragmented ? FRAGMENT : 0));
        clientBytes = q.length;
        serverBytes = r.length;
    }

    private void tcp(int responseBytes, boolean bulk) {
        byte[] req = app.request();
        byte[] resp = app.response(responseBytes);
        clientBytes = req.length;
        serverBytes = resp.length;
        int ack = TcpFlags.ACK;
        int psh = TcpFlags.ACK | TcpFlags.PSH;
        steps.add(new SessionStep(true, TcpFlags.SYN, 0, 0, Packets.NONE, 0));
        steps.add(new SessionStep(false, TcpFlags.SYN | TcpFlags.ACK, 0, 1, Packets.NONE, 0));
        steps.add(new SessionStep(true, ack, 1, 1, Packets.NONE, 0));
        // The request: one segment, or two sent second-first when reordered.
        if (reordered && !bulk) {
            int half = req.length / 2;
            steps.add(new SessionStep(true, psh, 1 + half, 1, Arrays.copyOfRange(req, half, req.length), 0));
            steps.add(new SessionStep(true, ack, 1, 1, Arrays.copyOf(req, half), 0));
        } else {
            steps.add(new SessionStep(true, psh, 1, 1, req, 0));
        }
        if (retransmitted) {
            steps.add(new SessionStep(true, psh, 1, 1, req, 0));
        }
        int c = 1 + req.length;
        List<SessionStep> data = new ArrayList<>();
        int segments = 0;
        for (int off = 0; off < resp.length; off += SEGMENT) {
            byte[] seg = Arrays.copyOfRange(resp, off, Math.min(resp.length, off + SEGMENT));
            data.add(new SessionStep(false, off + SEGMENT >= resp.length ? psh : ack, 1 + off, c, seg, 0));
            segments++;
            if (bulk && segments % 2 == 0) {
                data.add(new SessionStep(true, ack, c, 1 + off + seg.length, Packets.NONE, 0));
            }
        }
        if (reordered && bulk && data.size() > 3) {
            SessionStep first = data.get(0);
            data.set(0, data.get(1));
            data.set(1, first);
        }
        steps.addAll(data);
        int s = 1 + resp.length;
        if (!bulk || segments % 2 != 0) {
            steps.add(new SessionStep(true, ack, c, s, Packets.NONE, 0));
        }
        steps.add(new SessionStep(true, TcpFlags.FIN | TcpFlags.ACK, c, s, Packets.NONE, 0));
        steps.add(new SessionStep(false, TcpFlags.FIN | TcpFlags.ACK, s, c + 1, Packets.NONE, 0));
        steps.add(new SessionStep(true, ack, c + 1, s + 1, Packets.NONE, 0));
    }

    /** Frames one session of this template writes (a fragmented datagram counts each fragment). */
    int frames() {
        int n = 0;
        for (SessionStep step : steps) {
            n += step.fragmentSize() > 0 ? (step.payload().length + 8 + step.fragmentSize() - 1) / step.fragmentSize() : 1;
        }
        return n;
    }

    String variant() {
        return (reordered ? "R" : "") + (retransmitted ? "T" : "") + (fragmented ? "F" : "");
    }
}
