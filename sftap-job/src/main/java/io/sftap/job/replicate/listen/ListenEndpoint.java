package io.sftap.job.replicate.listen;

import java.io.Serializable;
import java.util.Locale;

/**
 * A socket the replicator listens on: UDP datagrams, or syslog over TCP (RFC 6587). Written
 * {@code udp:PORT}, {@code udp:ADDR:PORT}, {@code tcp-syslog:[ADDR]:PORT}; IPv6 addresses in
 * brackets. Without an address it binds the IPv6 wildcard, which takes IPv4 too.
 */
public final class ListenEndpoint implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What arrives on the socket. */
    public enum Kind {
        UDP("udp"),
        SYSLOG_TCP("tcp-syslog");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public final Kind kind;
    /** Address literal to bind ({@code ::} for any). */
    public final String address;
    public final int port;

    public ListenEndpoint(Kind kind, String address, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        this.kind = kind;
        this.address = address;
        this.port = port;
    }

    /**
     * Parses the written form.
     *
     * @throws IllegalArgumentException with a message fit for users
     */
    public static ListenEndpoint parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listen endpoint '" + text + "': expected udp:[ADDR:]PORT or tcp-syslog:[ADDR:]PORT");
        }
        String prefix = t.substring(0, colon).toLowerCase(Locale.ROOT);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.prefix.equals(prefix)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("listen endpoint '" + text + "': unknown kind '" + prefix + "' (udp, tcp-syslog)");
        }
        String rest = t.substring(colon + 1);
        String address = "::";
        String port = rest;
        int last = rest.lastIndexOf(':');
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("listen endpoint '" + text + "': expected [IPV6]:PORT");
            }
            address = rest.substring(1, close);
            port = rest.substring(close + 2);
        } else if (last >= 0) {
            address = rest.substring(0, last);
            port = rest.substring(last + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen endpoint '" + text + "': bad port '" + port + "'");
        }
        try {
            return new ListenEndpoint(kind, address, p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("listen endpoint '" + text + "': " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return kind.prefix + ":" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListenEndpoint && o.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
