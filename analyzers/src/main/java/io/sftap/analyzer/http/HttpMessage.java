package io.sftap.analyzer.http;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.x request or response as parsed so far: start line, header fields, trailer fields and
 * body facts. Filled in by {@link HttpMessageParser}; {@link #complete()} says whether the whole
 * message was seen.
 */
public final class HttpMessage {
    /** One header or trailer field; names are lower-case. */
    public record Field(String name, String value) {}

    private final boolean request;
    private Instant time;
    private String method;
    private String uri;
    private String version;
    private int status = -1;
    private String reason;
    private final List<Field> headers = new ArrayList<>();
    private final List<Field> trailers = new ArrayList<>();
    private boolean chunked;
    private long bodyLength;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean bodyTruncated;
    private boolean complete;

    HttpMessage(boolean request, Instant time) {
        this.request = request;
        this.time = time;
    }

    public boolean isRequest() {
        return request;
    }

    /** Time of the event that carried the message's first byte (null if the producer sent none). */
    public Instant time() {
        return time;
    }

    public String method() {
        return method;
    }

    public String uri() {
        return uri;
    }

    public String version() {
        return version;
    }

    /** Status code of a response; -1 for requests and responses whose status line was cut off. */
    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public List<Field> headers() {
        return headers;
    }

    public List<Field> trailers() {
        return trailers;
    }

    /** First value of header {@code name} (any case), or null. */
    public String header(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Field f : headers) {
            if (f.name().equals(n)) {
                return f.value();
            }
        }
        return null;
    }

    /** All values of header {@code name}, in order. */
    public List<String> headerValues(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (Field f : headers) {
            if (f.name().equals(n)) {
                out.add(f.value());
            }
        }
        return out;
    }

    public boolean chunked() {
        return chunked;
    }

    /** Body length after removing chunked framing (before content decoding). */
    public long bodyLength() {
        return bodyLength;
    }

    /** The captured body bytes (after chunked framing, before content decoding); empty unless capture is on. */
    public byte[] body() {
        return body.toByteArray();
    }

    /** Whether the body was longer than the capture limit. */
    public boolean bodyTruncated() {
        return bodyTruncated;
    }

    public boolean complete() {
        return complete;
    }

    /** A 1xx response other than 101: it precedes the final response to the same request. */
    public boolean isInterim() {
        return !request && status >= 100 && status < 200 && status != 101;
    }

    void setRequestLine(String method, String uri, String version) {
        this.method = method;
        this.uri = uri;
        this.version = version;
    }

    void setStatusLine(String version, int status, String reason) {
        this.version = version;
        this.status = status;
        this.reason = reason;
    }

    void setChunked(boolean chunked) {
        this.chunked = chunked;
    }

    void appendBody(byte[] b, int off, int len, long captureLimit) {
        bodyLength += len;
        long room = captureLimit - body.size();
        if (room > 0) {
            body.write(b, off, (int) Math.min(room, len));
        }
        if (captureLimit > 0 && len > room) {
            bodyTruncated = true;
        }
    }

    void setComplete() {
        this.complete = true;
    }
}
