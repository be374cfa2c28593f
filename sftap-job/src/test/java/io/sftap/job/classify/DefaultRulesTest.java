package io.sftap.job.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** sftap's default rules against the first bytes real clients and servers send. */
class DefaultRulesTest {
    static final byte[] CLIENT = {(byte) 192, (byte) 168, 1, 10};
    static final byte[] SERVER = {(byte) 198, 51, 100, 7};
    static RuleSet rules;

    @BeforeAll
    static void load() {
        rules = RulesFile.defaults().rules;
    }

    static byte[] s(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] hex(String h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String t = h.replace(" ", "");
        for (int i = 0; i < t.length(); i += 2) {
            out.write(Integer.parseInt(t.substring(i, i + 2), 16));
        }
        return out.toByteArray();
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static final byte[] NOTHING = new byte[0];
    /** Rules of client/server protocols, whose 'up' is the client (SSH, BitTorrent and mid-stream TLS are symmetric). */
    static final java.util.Set<String> CLIENT_SERVER = java.util.Set.of("http", "http_response", "http_proxy", "ssl", "ssl_server",
            "smtp", "smtp_greeting", "pop", "ftp", "ftp_greeting", "irc", "irc_server");
    static final byte[] CLIENT_HELLO = hex("16 03 01 02 00 01 00 01 fc 03 03 5a 4b 6c 1d 2e 3f 40 51 62 73 84 95 a6 b7 c8 d9 ea fb");
    static final byte[] SERVER_HELLO = hex("16 03 03 00 7a 02 00 00 76 03 03 8f 55 32 6d 12 cd e0 7f 52 50 27 9e 31 f7 64 ca");
    static final byte[] SSL2_HELLO = hex("80 7c 01 03 01 00 63 00 00 00 10 00 00 39 00 00 38 00 00 35");
    static final byte[] APP_DATA_1 = hex("17 03 03 00 b1 4a 21 6c 5e a1 aa 6d a2 3d ba f9 69 1c 88");
    static final byte[] APP_DATA_2 = hex("17 03 03 00 21 a9 9a 29 74 17 00 42 7e 97 a1 91 18 33 c2");
    static final byte[] BINARY = hex("28 66 eb 43 d3 60 02 83 de 21 05 ca f1 a3 6c 46 f5 a6 58 e1");
    static final byte[] BT_HANDSHAKE = cat(s("\u0013BitTorrent protocol"), hex("00 00 00 00 00 10 00 05"),
            hex("dc fc dc cf b9 e6 70 cc c3 11 22 33 44 55 66 77 88 99 aa bb"), s("-qB4250-abcdefghijkl"));
    static final byte[] DNS_TCP_QUERY = hex("00 1c 5f 78 01 20 00 01 00 00 00 00 00 00 03 77 77 77 06 67 6f 6f 67 6c 65 03 63 6f 6d 00 00 01 00 01");

    static Stream<Arguments> tcpFlows() {
        return Stream.of(
                // HTTP
                Arguments.of("HTTP request and response", 40000, 80,
                        s("GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\n\r\n"),
                        s("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello"), "http"),
                Arguments.of("HTTP on an unusual port", 40000, 8888,
                        s("POST /api HTTP/1.1\r\nHost: x\r\n\r\n"), s("HTTP/1.1 403 Forbidden\r\n\r\n"), "http"),
                Arguments.of("HTTP/1.0 request, no reply yet", 40000, 8000, s("GET / HTTP/1.0\r\n\r\n"), NOTHING, "http"),
                Arguments.of("HTTP from mid-stream: a response first, client silent", 40000, 8000,
                        NOTHING, s("HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n"), "http"),
                Arguments.of("HTTP from mid-stream: client inside a body, server answers", 40000, 8000,
                        BINARY, s("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), "http"),
                Arguments.of("HTTP from mid-stream: server inside a body, client asks again", 40000, 80,
                        s("GET /favicon.ico HTTP/1.1\r\nHost: h\r\n\r\n"), BINARY, "http"),
                Arguments.of("HTTP from mid-stream: both inside bodies, port 80", 40000, 80, BINARY, BINARY, "http"),
                Arguments.of("forward-proxy request with an absolute URI is HTTP", 40000, 3128,
                        s("GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n"), s("HTTP/1.1 200 OK\r\n\r\n"), "http"),
                Arguments.of("CONNECT tunnel", 40000, 8080,
                        s("CONNECT apache.org:443 HTTP/1.1\r\nHost: apache.org:443\r\n\r\n"),
                        cat(s("HTTP/1.0 200 Connection Established\r\n\r\n"), SERVER_HELLO), "http_proxy"),
                // TLS
                Arguments.of("TLS ClientHello and ServerHello", 40000, 443, CLIENT_HELLO, SERVER_HELLO, "ssl"),
                Arguments.of("TLS on a port nobody told us about", 40000, 4433, CLIENT_HELLO, SERVER_HELLO, "ssl"),
                Arguments.of("TLS ClientHello, server silent", 40000, 9000, CLIENT_HELLO, NOTHING, "ssl"),
                Arguments.of("SSLv2-format ClientHello", 40000, 8443, SSL2_HELLO, SERVER_HELLO, "ssl"),
                Arguments.of("TLS from mid-stream: application data both ways", 40000, 9443, APP_DATA_1, APP_DATA_2, "ssl"),
                Arguments.of("TLS from mid-stream: application data one way", 40000, 9443, NOTHING, APP_DATA_2, "ssl"),
                Arguments.of("TLS on port 443 not recognisable", 40000, 443, BINARY, BINARY, "ssl"),
                // SSH
                Arguments.of("SSH banners", 40000, 22, s("SSH-2.0-OpenSSH_9.6\r\n"), s("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n"), "ssh"),
                Arguments.of("SSH server banner with LF only, client sent a stray CRLF", 40000, 2222,
                        s("\r\n"), s("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7\nProtocol mismatch.\n"), "ssh"),
                Arguments.of("SSH 1.99 banner", 40000, 22, s("SSH-1.99-Cisco-1.25\n"), s("SSH-2.0-Cisco-1.25\n"), "ssh"),
                // SMTP
                Arguments.of("SMTP dialogue", 40000, 25, s("EHLO client.example\r\n"),
                        s("220 mx.example ESMTP Postfix\r\n250-mx.example\r\n250 PIPELINING\r\n"), "smtp"),
                Arguments.of("SMTP STARTTLS continues in TLS", 40000, 25, cat(s("EHLO desktop\r\nSTARTTLS\r\n"), CLIENT_HELLO),
                        s("220 firewall ESMTP Postfix\r\n250-firewall\r\n220 2.0.0 Ready to start TLS\r\n"), "smtp"),
                Arguments.of("SMTP greeting only", 40000, 2525, NOTHING, s("220 mail.example.org ESMTP Exim 4.96\r\n"), "smtp"),
                Arguments.of("SMTP lower-case helo", 40000, 587, s("helo me\r\n"), s("220 smtp.example\r\n"), "smtp"),
                // POP3
                Arguments.of("POP3 USER first", 40000, 110, s("USER bob\r\nPASS secret\r\n"), s("+OK POP3 server ready\r\n"), "pop"),
                Arguments.of("POP3 client sends CAPA first", 40000, 110, s("CAPA\r\nQUIT\r\n"),
                        s("+OK POP server ready H mimap4\r\n+OK Capability list follows\r\nTOP\r\nUSER\r\n.\r\n"), "pop"),
                Arguments.of("POP3 client sends AUTH first", 40000, 110, s("AUTH\r\nCAPA\r\nAUTH PLAIN\r\n"),
                        s("+OK POP server ready\r\n-ERR 1 argument required\r\n"), "pop"),
                Arguments.of("POP3 lower-case commands", 40000, 110, s("user cicciopernacchio@mail.com\r\npass x\r\n"),
                        s("+OK POP server ready H migmxus005\r\n"), "pop"),
                Arguments.of("POP3 STLS (STARTTLS) on another port", 40000, 1110, cat(s("STLS\r\n"), CLIENT_HELLO),
                        s("+OK ready\r\n+OK Begin TLS negotiation\r\n"), "pop"),
                Arguments.of("POP3 greeting only", 40000, 1110, NOTHING, s("+OK Dovecot ready.\r\n"), "pop"),
                Arguments.of("IMAP is not POP3", 40000, 143, s("a001 CAPABILITY\r\n"), s("* OK IMAP4rev1 Server Ready\r\n"), "default"),
                Arguments.of("Redis +OK after a command is not POP3", 40000, 6379,
                        s("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"), s("+OK\r\n"), "default"),
                // FTP
                Arguments.of("FTP login", 40000, 21, s("USER anonymous\r\nPASS guest@\r\nPWD\r\n"),
                        s("220 (vsFTPd 3.0.3)\r\n331 Please specify the password.\r\n"), "ftp"),
                Arguments.of("FTP AUTH TLS (FTPS starts in plaintext)", 40000, 21, cat(s("AUTH TLS\r\n"), CLIENT_HELLO),
                        s("220 \"Authorized users only\"\r\n234 Proceed with negotiation.\r\n"), "ftp"),
                Arguments.of("FTP multi-line greeting, client asks FEAT", 40000, 2121, s("FEAT\r\n"),
                        s("220-Welcome\r\n220 ProFTPD Server\r\n"), "ftp"),
                Arguments.of("FTP greeting only", 40000, 2121, NOTHING, s("220 ProFTPD 1.3.8 Server ready.\r\n"), "ftp"),
                // IRC
                Arguments.of("IRC NICK before USER", 40000, 6667, s("NICK molochtest\r\nUSER xxxxx +iw xxxxx :Real Name\r\n"),
                        s(":card.freenode.net NOTICE * :*** Looking up your hostname...\r\n"), "irc"),
                Arguments.of("IRC USER before NICK", 40000, 8000, s("USER xxxxx +iw xxxxx :Xxxxxx Xxxx\r\nNICK molochtest\r\n"),
                        s(":card.freenode.net NOTICE * :*** Checking Ident\r\n"), "irc"),
                Arguments.of("IRC PASS, NICK, USER", 40000, 6667, s("PASS l0m3za\r\nNICK damn\r\nUSER ghm 0 0 :damn\r\n"),
                        s(":hunt3d.devilz.net NOTICE AUTH :*** Looking up your hostname...\r\n"), "irc"),
                Arguments.of("IRCv3 CAP LS first", 40000, 6667, s("CAP LS 302\r\nNICK nick\r\nUSER u 0 * :Real\r\n"),
                        s(":irc.example.net CAP * LS :multi-prefix sasl\r\n"), "irc"),
                Arguments.of("IRC client only", 40000, 7000, s("NICK nick\r\nUSER u 0 * :Real\r\n"), NOTHING, "irc"),
                Arguments.of("IRC server only", 40000, 7000, NOTHING, s(":irc.example.net 001 nick :Welcome\r\n"), "irc"),
                // BitTorrent
                Arguments.of("BitTorrent peer handshakes", 52887, 53137, BT_HANDSHAKE, BT_HANDSHAKE, "bt_peer"),
                Arguments.of("BitTorrent handshake, peer silent", 52887, 53137, BT_HANDSHAKE, NOTHING, "bt_peer"),
                Arguments.of("BitTorrent handshake, peer answers with extensions", 52888, 38305, BT_HANDSHAKE,
                        s("4:ipv44:R:\u00d8s12:complete_agoi9e1:md11:upload_onlyi3e"), "bt_peer"),
                // DNS and the rest
                Arguments.of("DNS over TCP", 38195, 53, DNS_TCP_QUERY, hex("00 eb 5f 78 81 80 00 01 00 0c"), "dns_tcp"),
                Arguments.of("Telnet negotiation goes to default", 1550, 23, hex("ff fd 03 ff fb 18 ff fb 1f"), hex("ff fd 25 ff fb 03"), "default"),
                Arguments.of("unknown binary on an unknown port goes to default", 40000, 12345, BINARY, BINARY, "default"),
                Arguments.of("syslog over TCP goes to default", 9039, 514, s("<167>2016-05-24T09:50:52 ldap01 slapd[1]: x\n"), NOTHING, "default"),
                Arguments.of("nothing sent at all", 40000, 12345, NOTHING, NOTHING, "default"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tcpFlows")
    void classifiesTcpByFirstBytes(String what, int clientPort, int serverPort, byte[] fromClient, byte[] fromServer, String iface) {
        FlowKey key = new FlowKey(0, 4, 6, CLIENT, clientPort, SERVER, serverPort);

        Classification c = rules.classifyTcp(key, fromClient, fromServer);
        Classification swapped = rules.classifyTcp(new FlowKey(0, 4, 6, SERVER, serverPort, CLIENT, clientPort), fromServer, fromClient);

        assertThat(c.iface.name).as(what + " (rule " + c.ruleName + ")").isEqualTo(iface);
        assertThat(swapped.iface.name).as(what + ", endpoints swapped").isEqualTo(iface);
        if (c.byPattern && CLIENT_SERVER.contains(c.ruleName)) {
            assertThat(c.upSide).as(what + ": up is the client's side").isEqualTo(Direction.FROM_ENDPOINT1);
            assertThat(swapped.upSide).as(what + ": up is the client's side").isEqualTo(Direction.FROM_ENDPOINT2);
        }
    }

    static Stream<Arguments> datagrams() {
        return Stream.of(
                Arguments.of("DHT ping query", 40000, 50000, s("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"), "bt_dht"),
                Arguments.of("DHT response", 50000, 40000, s("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re"), "bt_dht"),
                Arguments.of("DHT error", 30000, 20000, s("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee"), "bt_dht"),
                Arguments.of("DHT get_peers with a binary id", 64969, 40959,
                        cat(s("d1:ad2:id20:"), hex("f7 f6 00 7c ea 13 50 6e 51 4d e7 ec bc 94 f2 ae 51 71 15 f8"),
                                s("9:info_hash20:"), hex("f7 f6 01 d8 a6 27 6f 76 2c 2c 3d f2 74 af 28 27 f8 d1 f1 de"),
                                s("e1:q9:get_peers1:t4:abcd1:y1:qe")), "bt_dht"),
                Arguments.of("BitTorrent local service discovery", 6771, 6771,
                        s("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 61197\r\n\r\n"), "bt_dht"),
                Arguments.of("DNS query", 53518, 53, hex("1a 2b 01 00 00 01 00 00 00 00 00 00 03 77 77 77 00 00 01 00 01"), "dns_udp"),
                Arguments.of("DNS response", 53, 32795, hex("1a 2b 81 80 00 01 00 01 00 00 00 00"), "dns_udp"),
                Arguments.of("mDNS is not DNS", 5353, 5353, hex("00 00 00 00 00 01 00 00 00 00 00 00"), "default"),
                Arguments.of("LLMNR is not DNS", 62822, 5355, hex("9b 6e 00 00 00 01 00 00 00 00 00 00"), "default"),
                Arguments.of("SSDP goes to default", 60538, 1900, s("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"), "default"),
                Arguments.of("uTP-looking bytes stay in default", 49861, 33333, hex("41 00 45 67 ed 63 92 96 00 00 00 00"), "default"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datagrams")
    void classifiesUdpDatagrams(String what, int srcPort, int dstPort, byte[] datagram, String iface) {
        FlowKey key = new FlowKey(0, 4, 17, CLIENT, srcPort, SERVER, dstPort);

        Classification c = rules.classifyUdp(key, Direction.FROM_ENDPOINT1, datagram);

        assertThat(c.iface.name).as(what + " (rule " + c.ruleName + ")").isEqualTo(iface);
        assertThat(c.iface.folder).isEqualTo("udp");
    }

    @Test
    void icmpGoesToTheDefaultInterfaceUnderIcmp() {
        Classification c = rules.classifyIcmp(new FlowKey(0, 6, 58, new byte[16], 0, new byte[16], 0));

        assertThat(c.iface.socketPaths()).containsExactly("icmp/default");
    }
}
