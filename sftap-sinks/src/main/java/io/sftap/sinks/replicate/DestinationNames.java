package io.sftap.sinks.replicate;

import io.sftap.source.wire.Addresses;

/** Text forms of endpoints for keys and metric names: {@code 192.0.2.1:514}, {@code [2001:db8::1]:514}. */
public final class DestinationNames {
    private DestinationNames() {}

    public static String of(byte[] address, int port) {
        String a = address == null ? "?" : Addresses.format(address);
        return (address != null && address.length == 16 ? "[" + a + "]" : a) + ":" + port;
    }
}
