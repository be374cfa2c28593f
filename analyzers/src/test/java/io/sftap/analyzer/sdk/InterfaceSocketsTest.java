package io.sftap.analyzer.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the socket files of an interface by name, balance slot or glob. */
class InterfaceSocketsTest {
    @TempDir Path home;
    private final List<ServerSocketChannel> bound = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (ServerSocketChannel c : bound) {
            c.close();
        }
    }

    @Test
    void findsAnExactNameInAnyProtocolFolder() throws Exception {
        Path http = socket("tcp/http");
        socket("tcp/https");
        assertThat(InterfaceSockets.resolve(home, "http")).containsExactly(http);
    }

    @Test
    void findsBalanceSlotsInNumericOrder() throws Exception {
        Path s10 = socket("tcp/http10");
        Path s2 = socket("tcp/http2");
        assertThat(InterfaceSockets.resolve(home, "tcp/http")).containsExactly(s2, s10);
    }

    @Test
    void globSkipsSocketsStillBeingPublished() throws Exception {
        Path http = socket("tcp/http");
        socket("tcp/.dns.0a1b2c");
        Files.createFile(home.resolve("tcp/notes")); // not a socket
        assertThat(InterfaceSockets.resolve(home, "tcp/*")).containsExactly(http);
    }

    private Path socket(String relative) throws Exception {
        Path p = home.resolve(relative);
        Files.createDirectories(p.getParent());
        ServerSocketChannel c = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        c.bind(UnixDomainSocketAddress.of(p));
        bound.add(c);
        return p;
    }
}
