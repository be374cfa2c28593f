package io.sftap.job.reassembly;

import io.sftap.source.wire.Direction;
import io.sftap.source.wire.TcpFlags;

/**
 * Reassembles the byte streams of TCP connections (pure algorithm; no Flink), with the semantics of
 * Wireshark's "Follow TCP stream".
 *
 * <p>Order of callbacks within one {@link #accept} call:
 *
 * <ol>
 *   <li>the OTHER direction's bytes that this segment's ACK makes deliverable: {@code onGap} for
 *       each acknowledged hole, each followed by {@code onData} of the bytes queued after it;
 *   <li>this direction's newly in-order bytes ({@code onData}), interleaved with {@code onGap} for
 *       holes already acknowledged;
 *   <li>the returned {@link TcpStatus}.
 * </ol>
 *
 * Per direction, the lengths of {@code onData} and {@code onGap} add up to how far the stream
 * advanced; bytes are never delivered twice and never after the direction's FIN.
 *
 * <p>Rules: a SYN fixes its direction's start at ISN + 1 (data on a SYN is delivered; repeated SYNs
 * are ignored). A direction seen first without SYN starts at its first segment (as tshark does).
 * Overlapping copies: the FIRST copy of every byte wins. A hole is skipped when the receiver
 * acknowledges past the first byte queued after it; an unacknowledged hole ends the direction
 * ({@link #finish} drops what lies behind it). A segment the capture truncated still advances
 * the stream by its length on the wire; the bytes not captured are reported as a gap.
 *
 * <p>Ownership: a segment delivered whole and at once may reach {@code onData} as the very {@code
 * payload} array the caller passed, so callers must not change a payload array after passing it
 * (decoded packets never are).
 */
public final class TcpReassembler {
    private final ReassemblyLimits limits;

    public TcpReassembler(ReassemblyLimits limits) {
        this.limits = limits;
    }

    /**
     * Feeds one segment sent by {@code from}; delivers newly in-order bytes to {@code listener}.
     *
     * @return the connection's state; {@link TcpStatus#REUSED} means the segment opens a new
     *     connection on the same 4-tuple and was not consumed.
     */
    public TcpStatus accept(
            TcpConnection conn,
            Direction from,
            int seq,
            int ack,
            int flags,
            byte[] payload,
            long timestampNanos,
            StreamListener listener) {
        int length = payload == null ? 0 : payload.length;
        return accept(conn, from, seq, ack, flags, payload, length, timestampNanos, listener);
    }

    /**
     * Like {@link #accept(TcpConnection, Direction, int, int, int, byte[], long, StreamListener)}
     * for a segment the capture may have truncated: {@code segmentLength} is its payload length on
     * the wire (from the IP length), {@code payload} the captured prefix. As in tshark, the stream
     * advances by {@code segmentLength}; the bytes not captured are reported as a gap.
     */
    public TcpStatus accept(
            TcpConnection conn,
            Direction from,
            int seq,
            int ack,
            int flags,
            byte[] payload,
            int segmentLength,
            long timestampNanos,
            StreamListener listener) {
        HalfConnection sender = conn.half(from);
        HalfConnection receiver = conn.half(from.opposite());
        if (conn.compromised) {
            return TcpStatus.COMPROMISED;
        }
        boolean syn = (flags & TcpFlags.SYN) != 0;
        boolean hasAck = (flags & TcpFlags.ACK) != 0;
        Sequence sequence = Sequence.of(seq);
        if (syn && !(sender.sawSyn && sender.isn.equals(sequence))) {
            if (!hasAck && conn.hasHistory()) {
                return TcpStatus.REUSED;
            }
            if (sender.sawData || sender.finSeen) {
                return conn.status(); // a SYN-ACK with a new ISN after data: bogus, ignore
            }
            sender.synAt(sequence);
        }
        if (conn.reset) {
            return TcpStatus.RESET;
        }
        byte[] data = payload == null ? new byte[0] : payload;
        int wireLength = Math.max(segmentLength, data.length);

        if (hasAck) {
            DeliveryBuffer peerOut = new DeliveryBuffer(from.opposite(), listener, timestampNanos);
            receiver.acknowledge(Sequence.of(ack), peerOut);
            peerOut.flush();
        }

        Sequence start = syn ? sequence.add(1) : sequence;
        sender.baseAt(start);
        DeliveryBuffer out = new DeliveryBuffer(from, listener, timestampNanos);
        if ((flags & TcpFlags.RST) != 0) {
            Sequence nextBeforeRst = sender.next;
            sender.offerInOrderOnly(start, data, out);
            skipTruncatedTail(sender, nextBeforeRst, start, data.length, wireLength, out);
            out.flush();
            conn.reset = true;
            sender.dropQueued();
            receiver.dropQueued();
            return TcpStatus.RESET;
        }
        Sequence nextBefore = sender.next;
        sender.offer(start, data, out);
        skipTruncatedTail(sender, nextBefore, start, data.length, wireLength, out);
        if ((flags & TcpFlags.FIN) != 0) {
            sender.fin(start.add(wireLength), out);
        }
        sender.skipAckedHoles(out);
        out.flush();

        if (sender.queue.bytes() > limits.maxOutOfOrderBytes
                || sender.queue.segmentCount() > limits.maxOutOfOrderSegments) {
            conn.compromised = true;
            sender.dropQueued();
            receiver.dropQueued();
        }
        return conn.status();
    }

    /**
     * Takes a segment of a connection that already closed ({@link TcpStatus#CLOSED}): it delivers
     * nothing, only its acknowledgement counts.
     *
     * @return whether both FINs are now acknowledged
     */
    public boolean acceptAfterClose(TcpConnection conn, Direction from, int ack, int flags) {
        if ((flags & TcpFlags.ACK) != 0) {
            conn.half(from.opposite()).acknowledgeAfterClose(Sequence.of(ack));
        }
        return conn.finsAcknowledged();
    }

    /**
     * Skips a truncated segment's uncaptured tail, only when the segment added captured bytes (a
     * segment with no new captured byte does not move the stream, as in tshark).
     */
    private static void skipTruncatedTail(
            HalfConnection sender,
            Sequence nextBefore,
            Sequence start,
            int captured,
            int wireLength,
            DeliveryBuffer out) {
        Sequence capturedEnd = start.add(captured);
        if (wireLength > captured && capturedEnd.isAfter(nextBefore)) {
            sender.skipTruncated(capturedEnd, start.add(wireLength), out);
        }
    }

    /**
     * Ends the connection (timeout or end of input): delivers what tshark would still show.
     *
     * <p>Everything deliverable was already delivered by {@link #accept}; what is still queued lies
     * behind a hole nobody acknowledged, where tshark ends the stream, so it is dropped. No
     * callback is made; {@code timestampNanos} and {@code listener} are kept for symmetry.
     */
    public void finish(TcpConnection conn, long timestampNanos, StreamListener listener) {
        for (Direction from :
                new Direction[] {Direction.FROM_ENDPOINT1, Direction.FROM_ENDPOINT2}) {
            HalfConnection half = conn.half(from);
            DeliveryBuffer out = new DeliveryBuffer(from, listener, timestampNanos);
            half.skipAckedHoles(out);
            out.flush();
            half.dropQueued();
        }
    }
}
