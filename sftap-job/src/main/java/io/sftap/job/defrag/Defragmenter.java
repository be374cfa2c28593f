package io.sftap.job.defrag;

import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.Packet;
import io.sftap.source.wire.TransportDecoder;

/**
 * Reassembles IPv4 (RFC 791) and IPv6 (RFC 8200) datagrams from their fragments, one {@link
 * FragmentBuffer} per datagram (pure algorithm; no Flink).
 *
 * <p>For each fragment, in this order: an older datagram in the buffer that passed its timeout
 * (in packet time) is dropped; the fragment is checked against the RFCs (else {@link
 * DropReason#FRAGMENT_MALFORMED}, the buffer is kept); an atomic fragment (offset 0, MF=0) is
 * decoded on its own, leaving the buffer alone (RFC 6946); the limits are checked (else the
 * datagram is dropped as {@link DropReason#FRAGMENT_LIMIT}); the fragment fills the buffer's holes
 * (first copy wins); when the buffer is complete it is decoded with {@link TransportDecoder} and
 * emptied. The caller keeps the buffer while it is not {@link FragmentBuffer#isEmpty() empty} and
 * drops it at {@link #deadlineNanos}.
 */
public final class Defragmenter {
    /** RFC 791, RFC 8200: offsets count 8-octet units; all but the last fragment are multiples. */
    public static final int FRAGMENT_UNIT_BYTES = 8;
    /** RFC 791: Total Length is a 16-bit field counting header and data. */
    public static final int IPV4_MAX_TOTAL_LENGTH = 65535;
    /** RFC 791: the smallest Internet header (IHL 5). */
    public static final int IPV4_MIN_HEADER_LENGTH = 20;
    /** The most data an IPv4 datagram can carry after the smallest header. */
    public static final int IPV4_MAX_DATA_BYTES = IPV4_MAX_TOTAL_LENGTH - IPV4_MIN_HEADER_LENGTH;
    /** RFC 8200 section 4.5: a reassembled Payload Length above 65535 makes the fragment invalid. */
    public static final int IPV6_MAX_PAYLOAD_LENGTH = 65535;

    private final DefragLimits limits;
    private final long timeoutNanos;

    public Defragmenter(DefragLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        this.limits = limits;
        this.timeoutNanos = limits.fragmentTimeoutNanos();
    }

    public DefragLimits limits() {
        return limits;
    }

    /**
     * Takes one fragment of the datagram held in {@code buffer} (the caller matched them by {@link
     * FragmentKey}); updates {@code buffer} in place.
     *
     * @throws IllegalArgumentException if {@code fragment} is not a fragment (a wiring error, not
     *     bad input)
     */
    public DefragOutcome accept(FragmentBuffer buffer, Packet fragment) {
        if (!fragment.fragment) {
            throw new IllegalArgumentException("not a fragment: " + fragment);
        }
        boolean previousTimedOut = isExpired(buffer, fragment.timestampNanos);
        if (previousTimedOut) {
            buffer.reset();
        }
        byte[] bytes = fragment.payload == null ? Packet.EMPTY : fragment.payload;
        int offset = fragment.fragmentOffset;
        boolean last = !fragment.moreFragments;
        if (!isWellFormed(fragment.ipVersion, offset, bytes.length, last)) {
            return DefragOutcome.dropped(DropReason.FRAGMENT_MALFORMED, previousTimedOut);
        }
        if (offset == 0 && last) {
            return decode(fragment, fragment.protocol & 0xff, bytes, previousTimedOut);
        }
        if (offset + bytes.length > limits.maxDatagramBytes
                || buffer.fragmentCount() >= limits.maxFragments) {
            buffer.reset();
            return DefragOutcome.dropped(DropReason.FRAGMENT_LIMIT, previousTimedOut);
        }
        boolean first = buffer.isEmpty();
        if (!buffer.add(offset, bytes, last)) {
            return DefragOutcome.dropped(DropReason.FRAGMENT_MALFORMED, previousTimedOut);
        }
        if (first) {
            buffer.setFirstTimestampNanos(fragment.timestampNanos);
        }
        if (offset == 0 && buffer.upperProtocol() == FragmentBuffer.UNKNOWN) {
            buffer.setUpperProtocol(fragment.protocol & 0xff);
        }
        if (!buffer.isComplete()) {
            return DefragOutcome.pending(previousTimedOut);
        }
        int protocol = buffer.upperProtocol() != FragmentBuffer.UNKNOWN
                ? buffer.upperProtocol()
                : fragment.protocol & 0xff;
        byte[] datagram = buffer.assemble();
        buffer.reset();
        return decode(fragment, protocol, datagram, previousTimedOut);
    }

    /** True when {@code buffer} holds a datagram whose timeout passed at packet time {@code nowNanos}. */
    public boolean isExpired(FragmentBuffer buffer, long nowNanos) {
        return !buffer.isEmpty() && nowNanos - buffer.firstTimestampNanos() >= timeoutNanos;
    }

    /** Packet time at which the datagram in a non-empty {@code buffer} times out. */
    public long deadlineNanos(FragmentBuffer buffer) {
        if (buffer.isEmpty()) {
            throw new IllegalStateException("an empty buffer has no deadline");
        }
        return buffer.firstTimestampNanos() + timeoutNanos;
    }

    /** RFC checks that need no other fragment: alignment, unit multiples, the version's size bound. */
    static boolean isWellFormed(int ipVersion, int offset, int length, boolean last) {
        if (offset < 0 || offset % FRAGMENT_UNIT_BYTES != 0) {
            return false;
        }
        if (!last && length % FRAGMENT_UNIT_BYTES != 0) {
            return false;
        }
        long end = (long) offset + length;
        switch (ipVersion) {
            case 4:
                return end <= IPV4_MAX_DATA_BYTES;
            case 6:
                return end <= IPV6_MAX_PAYLOAD_LENGTH;
            default:
                return false;
        }
    }

    /** Builds the whole datagram from its transport bytes, stamped with the completing fragment. */
    private static DefragOutcome decode(
            Packet fragment, int protocol, byte[] transport, boolean previousTimedOut) {
        Packet whole = new Packet();
        whole.timestampNanos = fragment.timestampNanos;
        whole.ipVersion = fragment.ipVersion;
        whole.protocol = (byte) protocol;
        whole.srcAddr = fragment.srcAddr;
        whole.dstAddr = fragment.dstAddr;
        whole.hop = fragment.hop;
        DropReason reason = TransportDecoder.decode(whole, transport, 0, transport.length);
        return reason == null
                ? DefragOutcome.completed(whole, previousTimedOut)
                : DefragOutcome.dropped(reason, previousTimedOut);
    }
}
