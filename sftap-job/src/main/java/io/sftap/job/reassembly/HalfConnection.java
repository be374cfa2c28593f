package io.sftap.job.reassembly;

import java.util.Arrays;

/**
 * Reassembly state of one direction of a TCP connection: the next byte to deliver, the bytes queued
 * past a hole, the FIN and the highest acknowledgement the other side sent for our bytes.
 */
final class HalfConnection {
    /*
     * Invariants (hold between calls):
     * - !based => queue empty, !finSeen, !closed; next is meaningless.
     * - Every queued segment starts strictly after next (a segment reaching next is delivered).
     * - finSeen => no queued byte lies at or after finSeq.
     * - closed => finSeen, queue empty, next == finSeq; no byte is delivered afterwards.
     */

    /** Whether the stream base is known: from a SYN (ISN + 1) or the first segment seen. */
    boolean based;

    /** Sequence number of the next byte to deliver (valid when based). */
    Sequence next = Sequence.of(0);

    /** Whether a SYN was accepted for this direction; {@code isn} is then its sequence number. */
    boolean sawSyn;

    /** The SYN's sequence number (valid when sawSyn). */
    Sequence isn = Sequence.of(0);

    /** Whether any segment with payload was seen (port-reuse detection). */
    boolean sawData;

    /** Whether a FIN was seen; {@code finSeq} is the sequence number it occupies. */
    boolean finSeen;

    /** The sequence number the FIN occupies (valid when finSeen); no byte at or after it counts. */
    Sequence finSeq = Sequence.of(0);

    /** FIN reached: everything before it was delivered (or lost and acknowledged). */
    boolean closed;

    /** Whether the other side acknowledged anything; {@code acked} is its highest ack number. */
    boolean hasAck;

    /** Highest ack for our bytes (valid when hasAck); holes before it were lost in the capture. */
    Sequence acked = Sequence.of(0);

    /** Bytes past a hole, first copy wins. */
    final SegmentQueue queue = new SegmentQueue();

    /** Starts (or restarts, if nothing was sent yet) this direction at a SYN. */
    void synAt(Sequence initialSequence) {
        queue.clear();
        finSeen = false;
        closed = false;
        hasAck = false;
        sawSyn = true;
        isn = initialSequence;
        based = true;
        next = initialSequence.add(1);
    }

    /** Sets the base of a direction picked up without SYN (tshark: its first segment). */
    void baseAt(Sequence start) {
        if (!based) {
            based = true;
            next = start;
        }
    }

    /**
     * Accepts payload starting at {@code start}: delivers what is in order, queues the rest. Bytes
     * already delivered or queued are not replaced; bytes at or after the FIN are ignored.
     */
    void offer(Sequence start, byte[] payload, DeliveryBuffer out) {
        if (payload.length == 0) {
            return;
        }
        sawData = true;
        if (closed) {
            return;
        }
        Sequence end = start.add(payload.length);
        if (finSeen && end.isAfter(finSeq)) {
            end = finSeq;
        }
        int skip = Math.max(0, next.difference(start));
        Sequence from = start.add(skip);
        int len = end.difference(from);
        if (len <= 0) {
            return;
        }
        if (from.equals(next) && queue.isEmpty()) {
            // Fast path: nothing queued to compete with, deliver directly; a whole payload is
            // handed on as it is (nobody writes to a packet's payload once it was decoded).
            out.data(skip == 0 && len == payload.length ? payload : Arrays.copyOfRange(payload, skip, skip + len));
            next = end;
            closeIfFinReached();
            return;
        }
        queue.insert(from, payload, skip, len);
        flush(out);
    }

    /** Like {@link #offer} but drops the payload unless it starts at or before {@code next}. */
    void offerInOrderOnly(Sequence start, byte[] payload, DeliveryBuffer out) {
        if (!start.isAfter(next)) {
            offer(start, payload, out);
        } else if (payload.length > 0) {
            sawData = true;
        }
    }

    /**
     * Skips the bytes of an in-order segment that the capture truncated (snap length): the segment
     * occupied {@code [capturedEnd, wireEnd)} on the wire but those bytes were not captured. They
     * are reported as a gap, except where bytes queued earlier cover them. The tail of an
     * out-of-order truncated segment is not remembered: it stays a hole until acknowledged.
     */
    void skipTruncated(Sequence capturedEnd, Sequence wireEnd, DeliveryBuffer out) {
        if (!based || closed || next.isBefore(capturedEnd)) {
            return;
        }
        Sequence end = finSeen && wireEnd.isAfter(finSeq) ? finSeq : wireEnd;
        while (next.isBefore(end)) {
            Sequence to = end;
            if (!queue.isEmpty() && queue.first().start().isBefore(end)) {
                to = queue.first().start();
            }
            if (to.isAfter(next)) {
                out.gap(Integer.toUnsignedLong(to.difference(next)));
                next = to;
            }
            flush(out);
            if (closed) {
                return;
            }
        }
    }

    /** Records the FIN at {@code fin}; closes once every byte before it is delivered. */
    void fin(Sequence fin, DeliveryBuffer out) {
        if (finSeen || closed) {
            return; // duplicate FIN: the first one stands
        }
        baseAt(fin);
        finSeen = true;
        // A FIN before bytes already delivered is bogus; end the stream where it stands.
        finSeq = Sequence.later(fin, next);
        queue.truncateAt(finSeq);
        flush(out);
    }

    /**
     * Records an acknowledgement from the other side and skips the holes it proves lost in the
     * capture.
     */
    void acknowledge(Sequence ack, DeliveryBuffer out) {
        if (!hasAck || ack.isAfter(acked)) {
            hasAck = true;
            acked = ack;
        }
        skipAckedHoles(out);
    }

    /**
     * Skips holes the receiver acknowledged, as tshark does: while the highest ack lies beyond the
     * first queued byte, the bytes before it were received but not captured, so report a gap and
     * continue after it. A hole only before the FIN (nothing queued) is skipped silently, since no
     * data follows it.
     */
    void skipAckedHoles(DeliveryBuffer out) {
        if (!based || closed || !hasAck) {
            return;
        }
        while (!queue.isEmpty()) {
            Sequence first = queue.first().start();
            if (!acked.isAfter(first)) {
                return;
            }
            out.gap(Integer.toUnsignedLong(first.difference(next)));
            next = first;
            flush(out);
        }
        if (finSeen && !closed && acked.isAfter(finSeq)) {
            next = finSeq;
            closeIfFinReached();
        }
    }

    /** Whether the other side acknowledged this direction's FIN. */
    boolean finAcknowledged() {
        return finSeen && hasAck && acked.isAfter(finSeq);
    }

    /** Records an acknowledgement that arrives after the stream closed (nothing is delivered any more). */
    void acknowledgeAfterClose(Sequence ack) {
        if (!hasAck || ack.isAfter(acked)) {
            hasAck = true;
            acked = ack;
        }
    }

    /** Delivers queued segments that now continue the stream. */
    private void flush(DeliveryBuffer out) {
        while (!queue.isEmpty()) {
            QueuedSegment first = queue.first();
            int ahead = first.start().difference(next);
            if (ahead > 0) {
                break;
            }
            queue.removeFirst();
            byte[] data = first.data();
            int skip = -ahead;
            if (skip >= data.length) {
                continue;
            }
            out.data(skip == 0 ? data : Arrays.copyOfRange(data, skip, data.length));
            next = first.end();
        }
        closeIfFinReached();
    }

    private void closeIfFinReached() {
        if (finSeen && !next.isBefore(finSeq)) {
            closed = true;
            next = finSeq;
            queue.clear();
        }
    }

    /** Drops what is still queued (never deliverable: an unacknowledged hole precedes it). */
    void dropQueued() {
        queue.clear();
    }
}
