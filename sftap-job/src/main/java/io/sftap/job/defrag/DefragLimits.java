package io.sftap.job.defrag;

import java.io.Serializable;
import java.time.Duration;

/** Limits of IP defragmentation: how long a datagram may stay incomplete and how big it may get. */
public final class DefragLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default timeout; RFC 791 suggests 15 s for the initial timer, Linux uses 30 s. */
    public static final Duration DEFAULT_FRAGMENT_TIMEOUT = Duration.ofSeconds(30);
    /** Default bound on fragments per datagram (duplicates count too). */
    public static final int DEFAULT_MAX_FRAGMENTS = 256;
    /** Default bound on reassembled bytes: the largest IPv6 payload plus room for a header. */
    public static final int DEFAULT_MAX_DATAGRAM_BYTES = 65535 + 40;

    /** Time, in packet time from the first fragment, after which an incomplete datagram is dropped. */
    public final Duration fragmentTimeout;
    /** Fragments one datagram may take; one more drops the datagram as FRAGMENT_LIMIT. */
    public final int maxFragments;
    /** Largest reassembled datagram (bytes after the IP header); beyond it, FRAGMENT_LIMIT. */
    public final int maxDatagramBytes;

    public DefragLimits(Duration fragmentTimeout, int maxFragments, int maxDatagramBytes) {
        if (fragmentTimeout == null || fragmentTimeout.isNegative() || fragmentTimeout.isZero()) {
            throw new IllegalArgumentException("fragment timeout must be positive, got " + fragmentTimeout);
        }
        if (maxFragments < 1) {
            throw new IllegalArgumentException("max fragments must be at least 1, got " + maxFragments);
        }
        if (maxDatagramBytes < 1) {
            throw new IllegalArgumentException(
                    "max datagram bytes must be at least 1, got " + maxDatagramBytes);
        }
        this.fragmentTimeout = fragmentTimeout;
        this.maxFragments = maxFragments;
        this.maxDatagramBytes = maxDatagramBytes;
    }

    public static DefragLimits defaults() {
        return new DefragLimits(DEFAULT_FRAGMENT_TIMEOUT, DEFAULT_MAX_FRAGMENTS, DEFAULT_MAX_DATAGRAM_BYTES);
    }

    /** The timeout in nanoseconds. */
    public long fragmentTimeoutNanos() {
        return fragmentTimeout.toNanos();
    }

    @Override
    public String toString() {
        return "DefragLimits{timeout=" + fragmentTimeout + ", maxFragments=" + maxFragments
                + ", maxDatagramBytes=" + maxDatagramBytes + "}";
    }
}
