package io.sftap.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Single-direction behaviour of {@link HttpMessageParser}. */
class HttpMessageParserTest {
    private final List<HttpMessage> messages = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final HttpMessageParser.Listener listener = new HttpMessageParser.Listener() {
        @Override
        public void onMessage(HttpMessage m) {
            messages.add(m);
        }

        @Override
        public void onError(String reason, HttpMessage partial) {
            errors.add(reason);
        }
    };

    @Test
    void keepsHeaderNamesLowerCaseAndRepeatedValuesInOrder() {
        HttpMessageParser p = HttpMessageParser.forRequests(listener, 0);

        p.feed(bytes("GET / HTTP/1.1\r\nHOST: a\r\nAccept: x\r\naccept:  y \r\nX-Folded: one\r\n two\r\n\r\n"), t(1));

        HttpMessage m = messages.get(0);
        assertThat(m.header("host")).isEqualTo("a");
        assertThat(m.headerValues("Accept")).containsExactly("x", "y");
        assertThat(m.header("x-folded")).isEqualTo("one two");
        assertThat(m.time()).isEqualTo(t(1));
    }

    @Test
    void capturesBodyUpToTheLimit() {
        HttpMessageParser p = HttpMessageParser.forRequests(listener, 4);

        p.feed(bytes("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789"), t(1));

        assertThat(messages.get(0).bodyLength()).isEqualTo(10);
        assertThat(new String(messages.get(0).body(), StandardCharsets.US_ASCII)).isEqualTo("0123");
        assertThat(messages.get(0).bodyTruncated()).isTrue();
    }

    @Test
    void stopsWithAnErrorOnBytesThatAreNotHttp() {
        HttpMessageParser p = HttpMessageParser.forRequests(listener, 0);

        p.feed(bytes("\u0016\u0003\u0001 not http\r\nGET / HTTP/1.1\r\n\r\n"), t(1));

        assertThat(errors).singleElement().asString().startsWith("not an HTTP request line");
        assertThat(messages).isEmpty();
        assertThat(p.isStopped()).isTrue();
    }

    @Test
    void rejectsConflictingContentLengths() {
        HttpMessageParser p = HttpMessageParser.forRequests(listener, 0);

        p.feed(bytes("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"), t(1));

        assertThat(errors).containsExactly("conflicting Content-Length values");
    }

    @Test
    void waitsForTheRequestMethodBeforeFramingAResponse() {
        String[] method = {null};
        HttpMessageParser p = HttpMessageParser.forResponses(listener, () -> method[0], 0);

        p.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), t(1));
        assertThat(messages).isEmpty();
        method[0] = "HEAD";
        p.resume();

        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).bodyLength()).isZero();
    }

    @Test
    void timesEachMessageByItsFirstByte() {
        HttpMessageParser p = HttpMessageParser.forRequests(listener, 0);

        p.feed(bytes("GET /1 HTTP/1.1\r\n"), t(1));
        p.feed(bytes("\r\nGET /2 HTT"), t(2));
        p.feed(bytes("P/1.1\r\n\r\n"), t(3));

        assertThat(messages).extracting(HttpMessage::time).containsExactly(t(1), t(2));
    }

    private static Instant t(long s) {
        return Instant.ofEpochSecond(s);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
