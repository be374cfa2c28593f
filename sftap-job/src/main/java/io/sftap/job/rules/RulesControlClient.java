package io.sftap.job.rules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Client of the {@link RulesControlServer} protocol: sends one request, returns the reply line. */
public final class RulesControlClient {
    private RulesControlClient() {}

    /** Sends a rules file text, naming its file for the server's messages. */
    public static String push(Path controlSocket, String rulesText, String fileName) throws IOException {
        String trailer = (rulesText.endsWith("\n") ? "" : "\n") + "# sftap-push-source: " + fileName + "\n";
        return send(controlSocket, rulesText + trailer);
    }

    /** Reports that capture subtask {@code subtask} of {@code of} finished its replay. */
    public static String end(Path controlSocket, int subtask, int of) throws IOException {
        return send(controlSocket, "end " + subtask + "/" + of);
    }

    static String send(Path controlSocket, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(controlSocket));
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.shutdownOutput();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (channel.read(in) >= 0) {
                in.flip();
                reply.write(in.array(), 0, in.limit());
                in.clear();
            }
            return reply.toString(StandardCharsets.UTF_8).strip();
        }
    }
}
