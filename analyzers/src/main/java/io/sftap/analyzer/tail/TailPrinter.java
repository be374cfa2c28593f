package io.sftap.analyzer.tail;

import io.sftap.analyzer.sdk.AnalyzerEvent;
import io.sftap.analyzer.sdk.Endpoints;
import io.sftap.analyzer.sdk.EventType;
import io.sftap.analyzer.sdk.FlowEventHeader;
import io.sftap.analyzer.sdk.FlowId;
import io.sftap.analyzer.sdk.Format;
import io.sftap.analyzer.sdk.InterfaceClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Prints interface events readably, like tcpdump does packets: one line per event, and for DATA
 * a hex and ASCII preview of the first bytes.
 *
 * <pre>
 * 2024-05-01T10:00:00.123456Z DATA      10.0.0.1:40000 > 10.0.0.2:80 tcp hop=0 match=up len=78
 *   0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..
 * </pre>
 */
public final class TailPrinter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final int previewBytes;
    private final PrintStream out;

    public TailPrinter(int previewBytes, PrintStream out) {
        if (previewBytes < 0) {
            throw new IllegalArgumentException("previewBytes must not be negative: " + previewBytes);
        }
        this.previewBytes = previewBytes;
        this.out = out;
    }

    /**
     * Follows every socket of {@code iface} under {@code home} (all balance slots), printing each
     * event, and reconnects when sftap restarts. Returns only if interrupted.
     */
    public static void run(Path home, String iface, Format format, int previewBytes, PrintStream out)
            throws IOException, InterruptedException {
        run(home, iface, format, previewBytes, out, false);
    }

    /** As {@link #run(Path, String, Format, int, PrintStream)}; {@code once} returns when the sockets close. */
    public static void run(Path home, String iface, Format format, int previewBytes, PrintStream out, boolean once)
            throws IOException, InterruptedException {
        TailPrinter printer = new TailPrinter(previewBytes, out);
        try (InterfaceClient client = InterfaceClient.builder()
                .setHome(home)
                .setInterface(iface)
                .setFormat(format)
                .setReconnect(!once)
                .setListener(new InterfaceClient.Listener() {
                    @Override
                    public void onEvent(Path socket, AnalyzerEvent event) {
                        printer.print(socket.getFileName().toString(), event);
                    }

                    @Override
                    public void onDisconnected(Path socket, Exception cause) {
                        printer.note(socket.getFileName() + ": disconnected" + (cause == null ? "" : ": " + cause.getMessage()));
                    }
                })
                .build()) {
            client.start();
            client.awaitTermination();
        }
    }

    /** Prints one event; {@code socket} (may be null) names the socket when several are read. */
    public void print(String socket, AnalyzerEvent event) {
        String text = format(socket, event);
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    void note(String line) {
        synchronized (out) {
            out.println("# " + line);
            out.flush();
        }
    }

    /** The lines for one event, each ending with a newline. */
    public String format(String socket, AnalyzerEvent event) {
        FlowEventHeader h = event.header();
        FlowId f = h.flow();
        StringBuilder sb = new StringBuilder(128);
        sb.append(h.time() == null ? "-" : TIME.format(h.time())).append(' ');
        if (socket != null) {
            sb.append('[').append(socket).append("] ");
        }
        sb.append(String.format("%-9s ", h.event().name()));
        String e1 = Endpoints.format(f.ip1(), f.port1(), f.l4());
        String e2 = Endpoints.format(f.ip2(), f.port2(), f.l4());
        if (h.event() == EventType.DATA && h.from() == 1) {
            sb.append(e1).append(" > ").append(e2);
        } else if (h.event() == EventType.DATA && h.from() == 2) {
            sb.append(e2).append(" > ").append(e1);
        } else {
            sb.append(e1).append(" <> ").append(e2);
        }
        sb.append(' ').append(f.l4().text).append(" hop=").append(f.hop());
        if (h.event() == EventType.DATA) {
            sb.append(" match=").append(h.match().text()).append(" len=").append(h.len());
        }
        if (h.event() == EventType.DESTROYED && h.reason() != null) {
            sb.append(" reason=").append(h.reason().name());
        }
        sb.append('\n');
        if (h.event() == EventType.DATA) {
            hexDump(sb, event.data(), Math.min(previewBytes, event.data().length));
        }
        return sb.toString();
    }

    private static void hexDump(StringBuilder sb, byte[] data, int n) {
        for (int row = 0; row < n; row += 16) {
            sb.append(String.format("  %04x  ", row));
            StringBuilder ascii = new StringBuilder(16);
            for (int i = 0; i < 16; i++) {
                if (row + i < n) {
                    int b = data[row + i] & 0xff;
                    sb.append(String.format("%02x ", b));
                    ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
                } else {
                    sb.append("   ");
                }
                if (i == 7) {
                    sb.append(' ');
                }
            }
            sb.append(' ').append(ascii).append('\n');
        }
    }
}
