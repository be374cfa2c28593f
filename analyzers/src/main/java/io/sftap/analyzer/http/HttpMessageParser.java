package io.sftap.analyzer.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Incremental parser of one direction of an HTTP/1.x connection: a sequence of requests, or of
 * responses. Pure: fed bytes in chunks of any size, it reports messages to a {@link Listener}.
 *
 * <p>Callback order per message: {@code onHead} once the start line and headers are in, then
 * {@code onMessage} when it ends, complete or, at {@link #finish}, incomplete. {@code onError}
 * replaces both when the bytes are not HTTP; the parser then ignores the rest of the stream.
 *
 * <p>Message framing follows RFC 9112 section 6: chunked (with trailers), Content-Length, no body
 * (responses to HEAD, 1xx, 204, 304, a 2xx to CONNECT), or, for responses only, up to the end of
 * the connection. A response parser needs the method of the request each response answers; it
 * asks {@link RequestMethods} and waits (buffering) while that request's head has not been seen.
 * A request parser holds after a CONNECT or Upgrade request until the owner calls
 * {@link #answerHold(boolean)} with the response (refused: go on; switched protocols: stop).
 */
public final class HttpMessageParser {

    /** Receives parsed messages. */
    public interface Listener {
        default void onHead(HttpMessage message) {}

        void onMessage(HttpMessage message);

        default void onError(String reason, HttpMessage partial) {}
    }

    /** For response parsers: the method of the oldest request that has no final response yet. */
    @FunctionalInterface
    public interface RequestMethods {
        /** The method, or null when that request's head has not been parsed yet. */
        String nextUnansweredMethod();
    }

    /** Longest start or header line accepted. */
    public static final int MAX_LINE = 65536;
    /** Bytes buffered while waiting for the other direction before giving up waiting. */
    public static final int MAX_BUFFERED_WHILE_WAITING = 1 << 20;

    private static final Pattern REQUEST_LINE =
            Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\\S+) (HTTP/\\d\\.\\d)");
    private static final Pattern STATUS_LINE = Pattern.compile("(HTTP/\\d\\.\\d) (\\d{3})(?: (.*))?");

    /** Where in a message the parser is. */
    private enum State {
        START_LINE, HEADERS, WAIT_METHOD, BODY_FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS,
        BODY_UNTIL_CLOSE, HOLD, STOPPED
    }

    private final boolean requests;
    private final Listener listener;
    private final RequestMethods methods;
    private final long captureLimit;

    // Invariant: buf[start, end) holds bytes not yet consumed; current != null from the first byte
    // of a message's start line until onMessage/onError.
    private byte[] buf = new byte[4096];
    private int start;
    private int end;
    private State state = State.START_LINE;
    private HttpMessage current;
    private long remaining;
    private Instant now;
    private Instant nextMessageTime; // time of the event that carried the first buffered byte
    private boolean finishing;
    private boolean running;
    private Boolean holdDecision; // answer to a CONNECT/Upgrade that came before the parser held

    private HttpMessageParser(boolean requests, Listener listener, RequestMethods methods, long captureLimit) {
        this.requests = requests;
        this.listener = listener;
        this.methods = methods;
        this.captureLimit = captureLimit;
    }

    /** A parser of the client's stream. {@code captureLimit} bytes of each body are kept (0: none). */
    public static HttpMessageParser forRequests(Listener listener, long captureLimit) {
        return new HttpMessageParser(true, listener, null, captureLimit);
    }

    /** A parser of the server's stream. */
    public static HttpMessageParser forResponses(Listener listener, RequestMethods methods, long captureLimit) {
        return new HttpMessageParser(false, listener, methods, captureLimit);
    }

    /** Parses {@code len} bytes; {@code time} is the capture time of the event that carried them. */
    public void feed(byte[] b, int off, int len, Instant time) {
        if (state == State.STOPPED) {
            return;
        }
        if (end == start) {
            nextMessageTime = time;
        }
        append(b, off, len);
        now = time;
        run();
    }

    public void feed(byte[] b, Instant time) {
        feed(b, 0, b.length, time);
    }

    /** Continues after the awaited request head arrived (response parsers). */
    public void resume() {
        if (state == State.WAIT_METHOD) {
            run();
        }
    }

    /**
     * The response to the last CONNECT/Upgrade request came: {@code switched} (a 2xx to CONNECT,
     * 101) stops parsing, otherwise parsing goes on. May come before the parser reached that
     * request's end; the answer is then applied when it does.
     */
    public void answerHold(boolean switched) {
        if (state == State.HOLD) {
            if (switched) {
                stop();
            } else {
                state = State.START_LINE;
                run();
            }
        } else if (state != State.STOPPED) {
            holdDecision = switched;
        }
    }

    /** Stops parsing: the connection switched protocols (tunnel, WebSocket). */
    public void stop() {
        state = State.STOPPED;
        start = end = 0;
        current = null;
    }

    public boolean isStopped() {
        return state == State.STOPPED;
    }

    /**
     * The stream ended. A body delimited by the close completes; any other message in progress is
     * reported incomplete.
     */
    public void finish(Instant time) {
        if (state == State.STOPPED) {
            return;
        }
        now = time != null ? time : now;
        finishing = true;
        run();
        switch (state) {
            case BODY_UNTIL_CLOSE:
                current.setComplete();
                emit();
                break;
            case START_LINE:
                if (end > start && !isBlank(start, end)) {
                    // A start line cut off: report what there is.
                    String partial = new String(buf, start, end - start, StandardCharsets.ISO_8859_1).trim();
                    HttpMessage m = current != null ? current : new HttpMessage(requests, now);
                    if (requests) {
                        m.setRequestLine(firstToken(partial), null, null);
                    }
                    current = m;
                    emit();
                }
                break;
            case HOLD:
            case STOPPED:
                break;
            default:
                if (current != null) {
                    emit();
                }
        }
        state = State.STOPPED;
        start = end = 0;
    }

    private void run() {
        if (running) {
            return; // re-entered from a callback: the outer loop goes on
        }
        running = true;
        try {
            while (state != State.STOPPED && step()) {
                // step until input is needed
            }
        } finally {
            running = false;
        }
    }

    /** One parsing step; false when more input (or a resume) is needed. */
    private boolean step() {
        switch (state) {
            case START_LINE: {
                int lineEnd = lineEnd();
                if (lineEnd < 0) {
                    return lineTooLong();
                }
                if (lineEnd == start || (lineEnd == start + 1 && buf[start] == '\r')) {
                    start = lineEnd + 1; // empty lines between messages are allowed
                    nextMessageTime = now;
                    return true;
                }
                String line = line(lineEnd);
                current = new HttpMessage(requests, nextMessageTime != null ? nextMessageTime : now);
                if (!parseStartLine(line)) {
                    return fail((requests ? "not an HTTP request line: " : "not an HTTP status line: ") + shorten(line));
                }
                state = State.HEADERS;
                return true;
            }
            case HEADERS:
            case TRAILERS: {
                int lineEnd = lineEnd();
                if (lineEnd < 0) {
                    return lineTooLong();
                }
                String line = line(lineEnd);
                List<HttpMessage.Field> fields = state == State.HEADERS ? current.headers() : current.trailers();
                if (line.isEmpty()) {
                    if (state == State.TRAILERS) {
                        return completeMessage();
                    }
                    return afterHead();
                }
                if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
                    HttpMessage.Field last = fields.remove(fields.size() - 1); // obsolete line folding
                    fields.add(new HttpMessage.Field(last.name(), last.value() + " " + line.strip()));
                    return true;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.add(new HttpMessage.Field(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip()));
                }
                return true; // a line without a colon is skipped, as most servers do
            }
            case WAIT_METHOD:
                return decideResponseFraming();
            case BODY_FIXED:
            case CHUNK_DATA: {
                int n = (int) Math.min(remaining, end - start);
                if (n == 0) {
                    return false;
                }
                current.appendBody(buf, start, n, captureLimit);
                start += n;
                remaining -= n;
                if (remaining > 0) {
                    return false;
                }
                if (state == State.BODY_FIXED) {
                    return completeMessage();
                }
                state = State.CHUNK_DATA_END;
                return true;
            }
            case CHUNK_DATA_END: {
                int lineEnd = lineEnd();
                if (lineEnd < 0) {
                    return lineTooLong();
                }
                String rest = line(lineEnd);
                if (!rest.isEmpty()) {
                    return fail("chunk data not followed by CRLF");
                }
                state = State.CHUNK_SIZE;
                return true;
            }
            case CHUNK_SIZE: {
                int lineEnd = lineEnd();
                if (lineEnd < 0) {
                    return lineTooLong();
                }
                String line = line(lineEnd);
                int semi = line.indexOf(';'); // chunk extensions are ignored
                String hex = (semi >= 0 ? line.substring(0, semi) : line).strip();
                long size;
                try {
                    if (hex.isEmpty() || hex.length() > 15) {
                        throw new NumberFormatException();
                    }
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    return fail("bad chunk size: " + shorten(line));
                }
                if (size == 0) {
                    state = State.TRAILERS;
                } else {
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
                return true;
            }
            case BODY_UNTIL_CLOSE: {
                int n = end - start;
                if (n > 0) {
                    current.appendBody(buf, start, n, captureLimit);
                    start = end;
                }
                return false;
            }
            case HOLD:
                if (end - start > MAX_BUFFERED_WHILE_WAITING) {
                    stop(); // no answer to the CONNECT/Upgrade in sight: treat as a tunnel
                }
                return false;
            default:
                return false; // STOPPED
        }
    }

    private boolean parseStartLine(String line) {
        if (requests) {
            Matcher m = REQUEST_LINE.matcher(line);
            if (!m.matches()) {
                return false;
            }
            current.setRequestLine(m.group(1), m.group(2), m.group(3));
            return true;
        }
        Matcher m = STATUS_LINE.matcher(line);
        if (!m.matches()) {
            return false;
        }
        current.setStatusLine(m.group(1), Integer.parseInt(m.group(2)), m.group(3) == null ? "" : m.group(3));
        return true;
    }

    private boolean afterHead() {
        if (requests) {
            listener.onHead(current);
            if (state == State.STOPPED) {
                return false;
            }
            Framing f = framing(current, false);
            if (f == Framing.INVALID) {
                return fail("conflicting Content-Length values");
            }
            return startBody(f);
        }
        state = State.WAIT_METHOD;
        return decideResponseFraming();
    }

    private boolean decideResponseFraming() {
        String method = methods == null ? "" : methods.nextUnansweredMethod();
        if (method == null) {
            if (!finishing && end - start <= MAX_BUFFERED_WHILE_WAITING) {
                return false; // the request's head is not parsed yet: wait for it
            }
            method = ""; // the request was never seen: frame as for GET
        }
        // The owner pairs the response with that request in onHead, so peek first, then report.
        listener.onHead(current);
        if (state == State.STOPPED) {
            return false;
        }
        if (current.isInterim()) {
            return completeMessage();
        }
        int status = current.status();
        boolean connectOk = method.equals("CONNECT") && status >= 200 && status < 300;
        if (method.equals("HEAD") || status == 204 || status == 304 || status == 101 || connectOk) {
            boolean switching = status == 101 || connectOk;
            completeMessage();
            if (switching) {
                stop();
                return false;
            }
            return true;
        }
        Framing f = framing(current, true);
        if (f == Framing.INVALID) {
            return fail("conflicting Content-Length values");
        }
        return startBody(f);
    }

    /** How the end of a message body is found. */
    private enum Framing { NONE, FIXED, CHUNKED, CLOSE, INVALID }

    private Framing framing(HttpMessage m, boolean response) {
        List<String> te = m.headerValues("transfer-encoding");
        if (!te.isEmpty()) {
            String codings = String.join(",", te).toLowerCase(Locale.ROOT);
            String[] parts = codings.split(",");
            if (parts[parts.length - 1].strip().equals("chunked")) {
                m.setChunked(true);
                return Framing.CHUNKED;
            }
            return response ? Framing.CLOSE : Framing.INVALID;
        }
        List<String> cl = m.headerValues("content-length");
        if (!cl.isEmpty()) {
            long len = -1;
            for (String v : cl) {
                for (String part : v.split(",")) {
                    long n;
                    try {
                        n = Long.parseLong(part.strip());
                    } catch (NumberFormatException e) {
                        return Framing.INVALID;
                    }
                    if (n < 0 || (len >= 0 && n != len)) {
                        return Framing.INVALID;
                    }
                    len = n;
                }
            }
            remaining = len;
            return len == 0 ? Framing.NONE : Framing.FIXED;
        }
        return response ? Framing.CLOSE : Framing.NONE;
    }

    private boolean startBody(Framing f) {
        switch (f) {
            case FIXED:
                state = State.BODY_FIXED;
                return true;
            case CHUNKED:
                state = State.CHUNK_SIZE;
                return true;
            case CLOSE:
                state = State.BODY_UNTIL_CLOSE;
                return true;
            default:
                return completeMessage();
        }
    }

    private boolean completeMessage() {
        HttpMessage m = current;
        m.setComplete();
        state = State.START_LINE;
        nextMessageTime = now;
        if (requests && ("CONNECT".equals(m.method()) || m.header("upgrade") != null)) {
            // What follows may be a tunnel: wait for the response unless it already came.
            state = holdDecision == null ? State.HOLD : holdDecision ? State.STOPPED : State.START_LINE;
            holdDecision = null;
        }
        emit(); // callbacks may stop or release this parser
        if (state == State.STOPPED) {
            start = end = 0;
            return false;
        }
        return state == State.START_LINE;
    }

    private void emit() {
        HttpMessage m = current;
        current = null;
        listener.onMessage(m);
    }

    private boolean fail(String reason) {
        HttpMessage partial = current;
        current = null;
        state = State.STOPPED;
        start = end = 0;
        listener.onError(reason, partial);
        return false;
    }

    private boolean lineTooLong() {
        if (end - start > MAX_LINE) {
            return fail("line longer than " + MAX_LINE + " bytes");
        }
        return false;
    }

    /** Index of the next '\n' at or after start, or -1. */
    private int lineEnd() {
        for (int i = start; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The line ending at {@code nl} without CR LF; consumes it. */
    private String line(int nl) {
        int e = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
        String s = new String(buf, start, e - start, StandardCharsets.ISO_8859_1);
        start = nl + 1;
        return s;
    }

    private boolean isBlank(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] != '\r' && buf[i] != '\n' && buf[i] != ' ') {
                return false;
            }
        }
        return true;
    }

    private static String firstToken(String s) {
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    private static String shorten(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    private void append(byte[] b, int off, int len) {
        if (end + len > buf.length) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
            if (end + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + len));
            }
        }
        System.arraycopy(b, off, buf, end, len);
        end += len;
    }
}
