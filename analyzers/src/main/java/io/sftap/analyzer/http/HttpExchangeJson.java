package io.sftap.analyzer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sftap.analyzer.sdk.Endpoints;
import io.sftap.analyzer.sdk.FlowId;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Renders exchanges as the HTTP analyzer's JSON objects (field reference: docs/analyzers.md).
 *
 * <p>Header names are lower-case; a header sent once is a string, a repeated header an array of
 * its values in order.
 */
public final class HttpExchangeJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final boolean includeBody;
    private final int decodeLimit;

    /** {@code includeBody}: add the decoded body; {@code decodeLimit}: most decoded bytes shown. */
    public HttpExchangeJson(boolean includeBody, int decodeLimit) {
        this.includeBody = includeBody;
        this.decodeLimit = decodeLimit;
    }

    public ObjectNode toJson(HttpExchange x) {
        ObjectNode o = flowFields(x.flow(), x.clientFrom());
        HttpMessage req = x.request();
        HttpMessage resp = x.response();
        o.set("request", req == null ? F.nullNode() : message(req));
        o.set("response", resp == null ? F.nullNode() : message(resp));
        if (!x.interimStatuses().isEmpty()) {
            ArrayNode a = o.putArray("interim");
            x.interimStatuses().forEach(a::add);
        }
        o.put("incomplete", x.incomplete());
        return o;
    }

    /** The object printed when a direction's bytes are not HTTP. */
    public ObjectNode error(FlowId flow, int clientFrom, boolean requestSide, String reason) {
        ObjectNode o = flowFields(flow, clientFrom == 0 ? 1 : clientFrom);
        o.put("error", reason);
        o.put("direction", requestSide ? "request" : "response");
        return o;
    }

    private static ObjectNode flowFields(FlowId flow, int clientFrom) {
        ObjectNode o = F.objectNode();
        o.set("client", endpoint(flow, clientFrom));
        o.set("server", endpoint(flow, 3 - clientFrom));
        o.put("hop", flow.hop());
        o.put("l3", flow.l3().text);
        return o;
    }

    private static ObjectNode endpoint(FlowId flow, int from) {
        ObjectNode e = F.objectNode();
        e.put("ip", Endpoints.address(flow.ip(from)));
        e.put("port", flow.port(from));
        return e;
    }

    private ObjectNode message(HttpMessage m) {
        ObjectNode o = F.objectNode();
        o.set("time", time(m.time()));
        if (m.isRequest()) {
            o.put("method", m.method());
            o.put("uri", m.uri());
            o.put("version", m.version());
        } else {
            o.put("version", m.version());
            if (m.status() >= 0) {
                o.put("status", m.status());
            } else {
                o.putNull("status");
            }
            o.put("reason", m.reason());
        }
        o.set("headers", fields(m.headers()));
        if (!m.trailers().isEmpty()) {
            o.set("trailers", fields(m.trailers()));
        }
        o.put("body_length", m.bodyLength());
        o.put("chunked", m.chunked());
        String ce = m.header("content-encoding");
        if (ce != null) {
            o.put("content_encoding", ce);
        }
        if (includeBody && m.bodyLength() > 0) {
            body(o, m, ce);
        }
        o.put("complete", m.complete());
        return o;
    }

    private void body(ObjectNode o, HttpMessage m, String contentEncoding) {
        ContentDecoder.Decoded d = ContentDecoder.decode(contentEncoding, m.body(), decodeLimit);
        byte[] b = d.bytes();
        String text = printableUtf8(b);
        if (text != null) {
            o.put("body", text);
            o.put("body_encoding", "text");
        } else {
            o.put("body", Base64.getEncoder().encodeToString(b));
            o.put("body_encoding", "base64");
        }
        o.put("body_decoded_length", b.length);
        if (m.bodyTruncated()) {
            o.put("body_truncated", true);
        }
        if (d.error() != null) {
            o.put("body_decode_error", d.error());
        }
    }

    private static JsonNode fields(List<HttpMessage.Field> fields) {
        ObjectNode o = F.objectNode();
        for (HttpMessage.Field f : fields) {
            JsonNode prev = o.get(f.name());
            if (prev == null) {
                o.put(f.name(), f.value());
            } else if (prev.isArray()) {
                ((ArrayNode) prev).add(f.value());
            } else {
                ArrayNode a = F.arrayNode();
                a.add(prev.asText());
                a.add(f.value());
                o.set(f.name(), a);
            }
        }
        return o;
    }

    /** Seconds since the epoch with microseconds, as a JSON number (null if unknown). */
    static JsonNode time(Instant t) {
        if (t == null) {
            return F.nullNode();
        }
        return F.numberNode(BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano() / 1000, 6)));
    }

    private static String printableUtf8(byte[] b) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                return null;
            }
        }
        return s;
    }
}
