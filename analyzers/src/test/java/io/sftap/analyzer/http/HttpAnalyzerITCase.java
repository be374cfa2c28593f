package io.sftap.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sftap.analyzer.testutil.InterfaceServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The HTTP analyzer against a real UNIX socket that speaks sftap's text format. */
class HttpAnalyzerITCase {
    private static final String FLOW =
            "ip1=10.0.0.1,ip2=10.0.0.2,port1=40000,port2=80,hop=0,l3=ipv4,l4=tcp";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void printsOneJsonObjectPerPipelinedAndChunkedExchange() throws Exception {
        String requests = "GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: a\r\nAccept: b\r\n\r\n"
                + "GET /data HTTP/1.1\r\nHost: example.com\r\nAccept-Encoding: gzip\r\n\r\n";
        byte[] gz = gzip("{\"ok\":true}");
        byte[] responses = concat(
                bytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "6\r\n<html>\r\n7\r\n</html>\r\n0\r\nX-Digest: d1\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + gz.length + "\r\n\r\n"),
                gz);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(bytes(FLOW + ",event=CREATED,time=1700000000.000001\n"));
        data(stream, 1, "up", bytes(requests), "1700000000.100000");
        data(stream, 2, "down", java.util.Arrays.copyOfRange(responses, 0, 40), "1700000000.200000");
        data(stream, 2, "down", java.util.Arrays.copyOfRange(responses, 40, responses.length), "1700000000.300000");
        stream.writeBytes(bytes(FLOW + ",event=DESTROYED,reason=NORMAL,time=1700000001\n"));

        List<JsonNode> out = runAnalyzer(stream.toByteArray(), "--body");

        assertThat(out).hasSize(2);
        JsonNode first = out.get(0);
        assertThat(first.at("/client/ip").asText()).isEqualTo("10.0.0.1");
        assertThat(first.at("/client/port").asInt()).isEqualTo(40000);
        assertThat(first.at("/server/port").asInt()).isEqualTo(80);
        assertThat(first.at("/request/method").asText()).isEqualTo("GET");
        assertThat(first.at("/request/uri").asText()).isEqualTo("/index.html");
        assertThat(first.at("/request/time").decimalValue()).isEqualByComparingTo("1700000000.1");
        assertThat(first.at("/request/headers/accept")).hasSize(2);
        assertThat(first.at("/request/headers/accept/1").asText()).isEqualTo("b");
        assertThat(first.at("/response/status").asInt()).isEqualTo(200);
        assertThat(first.at("/response/reason").asText()).isEqualTo("OK");
        assertThat(first.at("/response/time").decimalValue()).isEqualByComparingTo("1700000000.2");
        assertThat(first.at("/response/chunked").asBoolean()).isTrue();
        assertThat(first.at("/response/body_length").asLong()).isEqualTo(13);
        assertThat(first.at("/response/body").asText()).isEqualTo("<html></html>");
        assertThat(first.at("/response/trailers/x-digest").asText()).isEqualTo("d1");
        assertThat(first.at("/incomplete").asBoolean()).isFalse();

        JsonNode second = out.get(1);
        assertThat(second.at("/request/uri").asText()).isEqualTo("/data");
        assertThat(second.at("/response/content_encoding").asText()).isEqualTo("gzip");
        assertThat(second.at("/response/body_length").asLong()).isEqualTo(gz.length);
        assertThat(second.at("/response/body").asText()).isEqualTo("{\"ok\":true}");
        assertThat(second.at("/response/body_encoding").asText()).isEqualTo("text");
        assertThat(second.at("/response/time").decimalValue()).isEqualByComparingTo("1700000000.3");
    }

    @Test
    void reportsAnExchangeCutOffBySocketCloseAsIncomplete() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        data(stream, 2, "up", bytes("POST /upload HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial"), "5.5");

        List<JsonNode> out = runAnalyzer(stream.toByteArray());

        assertThat(out).hasSize(1);
        assertThat(out.get(0).at("/client/ip").asText()).isEqualTo("10.0.0.2");
        assertThat(out.get(0).at("/request/body_length").asLong()).isEqualTo(7);
        assertThat(out.get(0).at("/request/complete").asBoolean()).isFalse();
        assertThat(out.get(0).at("/response").isNull()).isTrue();
        assertThat(out.get(0).at("/incomplete").asBoolean()).isTrue();
    }

    private List<JsonNode> runAnalyzer(byte[] wire, String... extra) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (InterfaceServer server = new InterfaceServer(home.resolve("tcp/http"))) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try {
                    server.serveOnce(wire, 17);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<String> args = new ArrayList<>(List.of("--home", home.toString(), "--once"));
            args.addAll(List.of(extra));
            int rc = new CommandLine(new HttpAnalyzer(new PrintStream(printed, true, StandardCharsets.UTF_8)))
                    .execute(args.toArray(String[]::new));
            serving.get(10, TimeUnit.SECONDS);
            assertThat(rc).isZero();
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : printed.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.add(MAPPER.readTree(line));
            }
        }
        return out;
    }

    private static void data(ByteArrayOutputStream s, int from, String match, byte[] b, String time) {
        s.writeBytes(bytes(FLOW + ",event=DATA,from=" + from + ",match=" + match + ",len=" + b.length + ",time=" + time + "\n"));
        s.writeBytes(b);
    }

    private static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(bytes(s));
        }
        return b.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
