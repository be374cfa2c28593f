package io.sftap.analyzer.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.analyzer.testutil.InterfaceServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link InterfaceClient} against real UNIX sockets: balance slots, reconnect, missing sockets. */
class InterfaceClientITCase {
    @TempDir
    Path home;

    @Test
    void readsEveryBalanceSlot() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (InterfaceServer s0 = new InterfaceServer(home.resolve("tcp/http0"));
                InterfaceServer s1 = new InterfaceServer(home.resolve("tcp/http1"))) {
            assertThat(InterfaceSockets.resolve(home, "http")).containsExactly(s0.path(), s1.path());
            InterfaceClient client = InterfaceClient.builder().setHome(home).setInterface("http")
                    .setReconnect(false)
                    .setListener((socket, e) -> seen.add(socket.getFileName() + ":" + e.flow().port1()))
                    .build();
            client.start();
            s0.serveOnce(created(1), 5);
            s1.serveOnce(created(2), 5);
            client.awaitTermination();
        }
        assertThat(seen).containsExactlyInAnyOrder("http0:1", "http1:2");
    }

    @Test
    void reconnectsWhenSftapRestarts() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> disconnects = new CopyOnWriteArrayList<>();
        Path path = home.resolve("udp/dns");
        try (InterfaceServer first = new InterfaceServer(path);
                InterfaceClient client = InterfaceClient.builder().setHome(home).setInterface("dns")
                        .setBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                        .setListener(new InterfaceClient.Listener() {
                            @Override
                            public void onEvent(Path socket, AnalyzerEvent e) {
                                seen.add("port" + e.flow().port1());
                            }

                            @Override
                            public void onDisconnected(Path socket, Exception cause) {
                                disconnects.add(String.valueOf(cause));
                            }
                        })
                        .build()) {
            client.start();
            first.serveOnce(created(1), 100);
            first.close(); // sftap went away
            try (InterfaceServer second = new InterfaceServer(path)) {
                second.serveOnce(created(2), 100);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (seen.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
        }
        assertThat(seen).containsExactly("port1", "port2");
        assertThat(disconnects).first().isEqualTo("null");
    }

    @Test
    void failsClearlyWhenNoSocketExistsInOnceMode() {
        InterfaceClient client = InterfaceClient.builder().setHome(home).setInterface("smtp")
                .setReconnect(false).setListener((s, e) -> {}).build();

        assertThatThrownBy(client::start).isInstanceOf(IOException.class)
                .hasMessageContaining("no socket for interface 'smtp'");
    }

    private static byte[] created(int port) {
        return ("ip1=10.0.0.1,ip2=10.0.0.2,port1=" + port + ",port2=53,hop=0,l3=ipv4,l4=udp,event=CREATED\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
