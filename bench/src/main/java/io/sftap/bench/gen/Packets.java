package io.sftap.bench.gen;

/** Shared constants of the generator. */
final class Packets {
    static final byte[] NONE = new byte[0];

    private Packets() {}
}
