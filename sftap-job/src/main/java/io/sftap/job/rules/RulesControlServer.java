package io.sftap.job.rules;

import io.sftap.source.unix.UnixServerSockets;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket ({@code <home>/control}): a UNIX-domain socket server that takes pushed rules.
 *
 * <p>Protocol, one request per connection: the client sends the whole rules file text and shuts
 * down its sending side; the server answers one line, {@code OK v<N>} or {@code ERROR
 * <file>:<line>: rule '<r>': <problem>}, and closes. A request whose text is {@code end <i>/<n>}
 * reports that capture subtask i of n finished its replay. A last line {@code # sftap-push-source:
 * NAME} names the file in messages. Requests are served one at a time on one thread.
 */
public final class RulesControlServer implements Closeable {
    /** File name of the control socket under the home directory. */
    public static final String SOCKET_NAME = "control";
    /** Largest accepted request. */
    static final int MAX_REQUEST_BYTES = 16 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(RulesControlServer.class);
    private static final Pattern END = Pattern.compile("end\\s+(\\d+)/(\\d+)\\s*");
    private static final Pattern SOURCE_TRAILER = Pattern.compile("(?m)^# sftap-push-source: (.+)$");

    private final Path path;
    private final RulesIntake intake;
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile boolean running = true;

    /** Binds {@code path} (replacing a stale socket file) and starts serving. */
    public RulesControlServer(Path path, RulesIntake intake) throws IOException {
        this.path = path;
        this.intake = intake;
        Files.createDirectories(path.getParent());
        removeStale(path);
        this.server = UnixServerSockets.listen(path, 0, RulesControlServer::restrict);
        this.thread = new Thread(this::serve, "sftap-rules-control");
        thread.setDaemon(true);
        thread.start();
        LOG.info("rules control socket at {}", path);
    }

    private static void restrict(Path bound) {
        try {
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-rw----"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.warn("cannot restrict permissions of {}: {}", bound, e.toString());
        }
    }

    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException("another sftap job serves the control socket " + path
                    + "; give each job its own --home");
        } catch (IOException stale) {
            if (stale.getMessage() != null && stale.getMessage().startsWith("another sftap job")) {
                throw stale;
            }
            Files.delete(path); // a socket file left by a process that died
        }
    }

    public Path path() {
        return path;
    }

    private void serve() {
        while (running) {
            try (SocketChannel client = server.accept()) {
                String reply = handle(readRequest(client));
                client.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.warn("control request failed: {}", e.toString());
                }
            }
        }
    }

    private static String readRequest(SocketChannel client) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (client.read(buf) >= 0) {
            buf.flip();
            text.write(buf.array(), 0, buf.limit());
            buf.clear();
            if (text.size() > MAX_REQUEST_BYTES) {
                throw new IOException("request over " + MAX_REQUEST_BYTES + " bytes");
            }
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    /** Answers one request (the protocol above). */
    String handle(String request) {
        Matcher end = END.matcher(request.strip());
        if (end.matches()) {
            return intake.end(Integer.parseInt(end.group(1)), Integer.parseInt(end.group(2)));
        }
        Matcher trailer = SOURCE_TRAILER.matcher(request);
        String source = trailer.find() ? trailer.group(1).strip() : "pushed rules";
        String reply = intake.submit(request, source, RulesSplit.Origin.PUSH);
        LOG.info("rules pushed from {}: {}", source, reply);
        return reply;
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(path);
    }
}
