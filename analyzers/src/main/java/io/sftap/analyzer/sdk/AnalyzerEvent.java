package io.sftap.analyzer.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One event read from an abstract interface: its header and, for DATA with {@code body: yes},
 * the {@code len} payload bytes (empty otherwise).
 */
public record AnalyzerEvent(FlowEventHeader header, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public AnalyzerEvent {
        Objects.requireNonNull(header, "header");
        data = data == null ? EMPTY : data;
    }

    public FlowId flow() {
        return header.flow();
    }

    public EventType event() {
        return header.event();
    }

    /** The payload as Latin-1 text, handy in tests and logs. */
    public String dataAsLatin1() {
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnalyzerEvent e && header.equals(e.header) && java.util.Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AnalyzerEvent{" + header + ", data=" + data.length + " bytes}";
    }
}
