package io.sftap.analyzer.tunnel;

import io.sftap.analyzer.sdk.AnalyzerEvent;
import io.sftap.analyzer.sdk.FlowId;
import io.sftap.analyzer.sdk.Format;
import io.sftap.analyzer.sdk.InterfaceClient;
import io.sftap.analyzer.sdk.LoopbackWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The HTTP CONNECT tunnel analyzer: reads the {@code http_proxy} interface and re-injects what
 * goes through each established tunnel into sftap's L7 loopback, so the inner flow is classified
 * again (an HTTP exchange inside a proxy tunnel shows up on {@code http} with {@code hop=1}).
 *
 * <pre>{@code
 * java -cp sftap.jar io.sftap.analyzer.tunnel.HttpConnectTunnel --home /tmp/sf-tap
 * }</pre>
 */
@Command(name = "sftap-connect-tunnel", mixinStandardHelpOptions = true,
        description = "Re-injects the flows inside HTTP CONNECT tunnels into sftap's loopback7 socket.")
public final class HttpConnectTunnel implements Callable<Integer> {

    @Option(names = "--home", defaultValue = "/tmp/sf-tap", description = "sftap home directory (default: ${DEFAULT-VALUE})")
    Path home;

    @Option(names = "--if", defaultValue = "http_proxy",
            description = "interface carrying proxy flows; all balance slots are read (default: ${DEFAULT-VALUE})")
    String iface;

    @Option(names = "--format", defaultValue = "text", description = "wire format of that interface: text|binary (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--loopback-format", defaultValue = "text",
            description = "format of the loopback7 rule: text|binary (default: ${DEFAULT-VALUE})")
    String loopbackFormat;

    @Option(names = "--once", description = "exit when the interface sockets close instead of reconnecting")
    boolean once;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HttpConnectTunnel()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Format in = Format.parse(format);
        try (LoopbackConnection loopback = new LoopbackConnection(home, Format.parse(loopbackFormat));
                InterfaceClient client = InterfaceClient.builder()
                        .setHome(home)
                        .setInterface(iface)
                        .setFormat(in)
                        .setListener(new Listener(loopback))
                        .setReconnect(!once)
                        .build()) {
            client.start();
            client.awaitTermination();
        } catch (IOException e) {
            System.err.println("sftap-connect-tunnel: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** One tracker per interface socket (a flow never spans sockets). */
    static final class Listener implements InterfaceClient.Listener {
        private final TunnelOutput out;
        private final Map<Path, ConnectTunnelTracker> trackers = new ConcurrentHashMap<>();

        Listener(TunnelOutput out) {
            this.out = out;
        }

        @Override
        public void onEvent(Path socket, AnalyzerEvent event) {
            try {
                trackers.computeIfAbsent(socket, s -> new ConnectTunnelTracker(out)).onEvent(event);
            } catch (IOException e) {
                System.err.println("sftap-connect-tunnel: loopback write failed: " + e.getMessage());
            }
        }

        @Override
        public void onDisconnected(Path socket, Exception cause) {
            ConnectTunnelTracker t = trackers.remove(socket);
            if (t != null) {
                try {
                    t.onDisconnected(null);
                } catch (IOException e) {
                    System.err.println("sftap-connect-tunnel: loopback write failed: " + e.getMessage());
                }
            }
        }
    }

    /**
     * The loopback connection, opened at the first tunnel and again after sftap dropped it
     * (writes in between fail and are reported). Synchronized: trackers of several sockets share it.
     */
    static final class LoopbackConnection implements TunnelOutput, AutoCloseable {
        private final Path home;
        private final Format format;
        private LoopbackWriter writer;

        LoopbackConnection(Path home, Format format) {
            this.home = home;
            this.format = format;
        }

        private LoopbackWriter writer() throws IOException {
            if (writer == null) {
                writer = LoopbackWriter.connect(home, format);
            }
            return writer;
        }

        private interface Write {
            void to(LoopbackWriter w) throws IOException;
        }

        private synchronized void send(Write w) throws IOException {
            try {
                w.to(writer());
            } catch (IOException e) {
                close(); // reconnect on the next write; the flows it carried were ended by sftap
                throw e;
            }
        }

        @Override
        public void created(FlowId inner, Instant time) throws IOException {
            send(w -> w.created(inner, time));
        }

        @Override
        public void data(FlowId inner, int from, byte[] bytes, Instant time) throws IOException {
            send(w -> w.data(inner, from, bytes, time));
        }

        @Override
        public void destroyed(FlowId inner, Instant time) throws IOException {
            send(w -> w.destroyed(inner, time));
        }

        @Override
        public synchronized void close() {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // closing
                }
                writer = null;
            }
        }
    }
}
