package io.sftap.job.replicate.listen;

import io.sftap.sinks.replicate.DestinationNames;

/** Endpoint text for log lines. */
final class InetAddresses {
    private InetAddresses() {}

    static String text(byte[] address, int port) {
        return DestinationNames.of(address, port);
    }
}
