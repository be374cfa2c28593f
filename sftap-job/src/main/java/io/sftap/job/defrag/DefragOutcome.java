package io.sftap.job.defrag;

import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.Packet;

/**
 * What became of one fragment given to {@link Defragmenter#accept}: it completed a datagram, it
 * waits for more, or something was dropped.
 *
 * <p>Each drop counts once: {@link DropReason#FRAGMENT_MALFORMED} refuses just this fragment (the
 * datagram keeps what it holds); {@link DropReason#FRAGMENT_LIMIT} and a transport reason from
 * {@link io.sftap.source.wire.TransportDecoder} drop the whole datagram. Independently, {@link
 * #previousTimedOut()} says an older incomplete datagram under the same key had passed its
 * timeout and was dropped (one {@link DropReason#FRAGMENT_TIMEOUT}) before this fragment was taken.
 */
public final class DefragOutcome {
    /** The three things that can happen to a fragment. */
    public enum Status {
        /** The fragment completed its datagram: see {@link #datagram()}. */
        COMPLETED,
        /** The fragment was stored; the datagram waits for more. */
        PENDING,
        /** Something was dropped: see {@link #reason()}. */
        DROPPED
    }

    private final Status status;
    private final Packet datagram;
    private final DropReason reason;
    private final boolean previousTimedOut;

    private DefragOutcome(Status status, Packet datagram, DropReason reason, boolean previousTimedOut) {
        this.status = status;
        this.datagram = datagram;
        this.reason = reason;
        this.previousTimedOut = previousTimedOut;
    }

    static DefragOutcome completed(Packet datagram, boolean previousTimedOut) {
        return new DefragOutcome(Status.COMPLETED, datagram, null, previousTimedOut);
    }

    static DefragOutcome pending(boolean previousTimedOut) {
        return new DefragOutcome(Status.PENDING, null, null, previousTimedOut);
    }

    static DefragOutcome dropped(DropReason reason, boolean previousTimedOut) {
        return new DefragOutcome(Status.DROPPED, null, reason, previousTimedOut);
    }

    public Status status() {
        return status;
    }

    /** The whole datagram when {@link Status#COMPLETED}, else null. */
    public Packet datagram() {
        return datagram;
    }

    /** Why something was dropped when {@link Status#DROPPED}, else null. */
    public DropReason reason() {
        return reason;
    }

    /** True when an older, timed-out datagram under this key was dropped first. */
    public boolean previousTimedOut() {
        return previousTimedOut;
    }

    @Override
    public String toString() {
        return "DefragOutcome{" + status
                + (reason != null ? " " + reason : "")
                + (datagram != null ? " " + datagram : "")
                + (previousTimedOut ? ", previous timed out" : "") + "}";
    }
}
