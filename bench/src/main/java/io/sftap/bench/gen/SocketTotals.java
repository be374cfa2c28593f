package io.sftap.bench.gen;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What one interface socket carries over a run: CREATED and DESTROYED counts, DATA bytes and their
 * {@link FlowFingerprint}. The generator writes the expected ones; the benchmark's readers count
 * the received ones, and the two must be equal.
 */
public final class SocketTotals {
    public long created;
    public long destroyed;
    public long dataEvents;
    public long dataBytes;
    public long fingerprint;

    public synchronized void add(SocketTotals o) {
        created += o.created;
        destroyed += o.destroyed;
        dataEvents += o.dataEvents;
        dataBytes += o.dataBytes;
        fingerprint += o.fingerprint;
    }

    /** Equal in everything a lossless run fixes (the number of DATA events may differ). */
    public boolean sameDelivery(SocketTotals o) {
        return created == o.created && destroyed == o.destroyed && dataBytes == o.dataBytes
                && fingerprint == o.fingerprint;
    }

    @Override
    public String toString() {
        return "created=" + created + " destroyed=" + destroyed + " data_bytes=" + dataBytes
                + " fingerprint=" + Long.toHexString(fingerprint);
    }

    /** Writes {@code totals} and the run-wide {@code facts} as a properties file. */
    public static void write(Path file, Map<String, SocketTotals> totals, Map<String, Long> facts) throws IOException {
        Properties p = new Properties();
        facts.forEach((k, v) -> p.setProperty(k, Long.toString(v)));
        totals.forEach((socket, t) -> {
            p.setProperty("socket." + socket + ".created", Long.toString(t.created));
            p.setProperty("socket." + socket + ".destroyed", Long.toString(t.destroyed));
            p.setProperty("socket." + socket + ".data_events", Long.toString(t.dataEvents));
            p.setProperty("socket." + socket + ".data_bytes", Long.toString(t.dataBytes));
            p.setProperty("socket." + socket + ".fingerprint", Long.toString(t.fingerprint));
        });
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "sftap bench: expected delivery per socket");
        }
    }

    /** Reads the per-socket totals of a file written by {@link #write}. */
    public static Map<String, SocketTotals> read(Path file) throws IOException {
        Properties p = load(file);
        Map<String, SocketTotals> out = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (!name.startsWith("socket.") || !name.endsWith(".created")) {
                continue;
            }
            String socket = name.substring("socket.".length(), name.length() - ".created".length());
            SocketTotals t = new SocketTotals();
            t.created = get(p, socket, "created");
            t.destroyed = get(p, socket, "destroyed");
            t.dataEvents = get(p, socket, "data_events");
            t.dataBytes = get(p, socket, "data_bytes");
            t.fingerprint = get(p, socket, "fingerprint");
            out.put(socket, t);
        }
        return out;
    }

    /** A run-wide fact of a file written by {@link #write} (packets, frame_bytes, flows...). */
    public static long fact(Path file, String name) throws IOException {
        return Long.parseLong(Objects.requireNonNull(load(file).getProperty(name), name + " missing in " + file));
    }

    private static long get(Properties p, String socket, String field) {
        return Long.parseLong(p.getProperty("socket." + socket + "." + field, "0"));
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
