package io.sftap.bench.gen;

import java.nio.charset.StandardCharsets;

/**
 * The L7 protocols the generator speaks, with the server port, the socket the default rules
 * route them to, and the opening bytes each side sends.
 */
public enum AppClass {
    HTTP(6, 80, "tcp/http"),
    TLS(6, 443, "tcp/ssl"),
    SSH(6, 22, "tcp/ssh"),
    DNS(17, 53, "udp/dns_udp");

    public final int protocol;
    public final int serverPort;
    /** Socket (relative to home) the default rules send this class to. */
    public final String socket;

    AppClass(int protocol, int serverPort, String socket) {
        this.protocol = protocol;
        this.serverPort = serverPort;
        this.socket = socket;
    }

    /** What the client sends first (a request, a ClientHello, an identification string, a query). */
    public byte[] request() {
        switch (this) {
            case HTTP:
                return ascii("GET /bench/index.html HTTP/1.1\r\nHost: bench.example\r\n"
                        + "User-Agent: sftap-bench\r\nAccept: */*\r\n\r\n");
            case TLS:
                return tlsHandshake(0x01, 220);
            case SSH:
                return ascii("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
            case DNS:
            default:
                return dnsMessage(false, 0);
        }
    }

    /** What the server answers with, {@code length} bytes long (at least its opening). */
    public byte[] response(int length) {
        byte[] head;
        switch (this) {
            case HTTP:
                head = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + Math.max(0, length - 90) + "\r\n\r\n");
                break;
            case TLS:
                head = tlsHandshake(0x02, 90);
                break;
            case SSH:
                head = ascii("SSH-2.0-OpenSSH_8.4p1 Ubuntu-6\r\n");
                break;
            case DNS:
            default:
                return dnsMessage(true, length);
        }
        byte[] out = new byte[Math.max(length, head.length)];
        System.arraycopy(head, 0, out, 0, head.length);
        for (int i = head.length; i < out.length; i++) {
            out[i] = (byte) ('a' + i % 26);
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A TLS record holding one handshake message of {@code type} (1 ClientHello, 2 ServerHello). */
    private static byte[] tlsHandshake(int type, int bodyLength) {
        byte[] b = new byte[5 + 4 + bodyLength];
        b[0] = 0x16;
        b[1] = 0x03;
        b[2] = 0x01;
        b[3] = (byte) ((4 + bodyLength) >> 8);
        b[4] = (byte) (4 + bodyLength);
        b[5] = (byte) type;
        b[7] = (byte) (bodyLength >> 8);
        b[8] = (byte) bodyLength;
        b[9] = 0x03;
        b[10] = 0x03;
        for (int i = 11; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    /** A DNS query for bench.example A, or a response padded to {@code length} bytes. */
    private static byte[] dnsMessage(boolean response, int length) {
        byte[] q = {0x12, 0x34, (byte) (response ? 0x81 : 0x01), (byte) (response ? 0x80 : 0x00), 0, 1, 0,
            (byte) (response ? 1 : 0), 0, 0, 0, 0, 5, 'b', 'e', 'n', 'c', 'h', 7, 'e', 'x', 'a', 'm', 'p', 'l',
            'e', 0, 0, 1, 0, 1};
        byte[] out = new byte[Math.max(q.length, length)];
        System.arraycopy(q, 0, out, 0, q.length);
        return out;
    }
}
