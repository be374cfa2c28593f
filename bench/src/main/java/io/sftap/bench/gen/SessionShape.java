package io.sftap.bench.gen;

/** How much a session carries: a short request/response or a bulk transfer of full segments. */
public enum SessionShape {
    /** Handshake, one request, one response, close: 9 packets (SF-TAP's "short session" figure). */
    SHORT,
    /** Handshake, one request, then {@code bulkSegments} full server segments, ACKed every second. */
    BULK
}
