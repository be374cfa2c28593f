package io.sftap.bench.gen;

import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;

/**
 * An order-free check that every byte reached its flow: the sum over DATA events of
 * {@code hash(flow, sender) * length}. It is linear in the length, so it does not depend on how the
 * job cut a stream into events, yet a byte missing from (or added to) any flow changes it.
 */
public final class FlowFingerprint {
    private FlowFingerprint() {}

    /** The hash of one direction of one flow. */
    public static long of(FlowKey key, Direction from) {
        long h = 0x9e3779b97f4a7c15L;
        h = mix(h ^ ((key.protocol & 0xffL) << 40 | (key.hop & 0xffL) << 32 | key.port1 << 16 | key.port2));
        h = mix(h ^ words(key.addr1));
        h = mix(h ^ words(key.addr2));
        return mix(h ^ from.ordinal());
    }

    private static long words(byte[] a) {
        long h = a.length;
        for (byte b : a) {
            h = h * 31 + (b & 0xff);
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
