package io.sftap.sinks.replicate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** Sends copies from the replicator's own address through an ordinary UDP socket (the kernel fragments). */
final class RelayingSender implements DestinationSender {
    private final DatagramChannel channel;
    private final InetSocketAddress to;

    RelayingSender(ReplicaTarget target, int sendBufferBytes) throws IOException {
        this.to = new InetSocketAddress(InetAddress.getByAddress(target.address), target.port);
        this.channel = DatagramChannel.open();
        if (sendBufferBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
        }
    }

    @Override
    public void send(Replica r, ReplicaTarget t) throws IOException {
        channel.send(ByteBuffer.wrap(r.payload), to);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a datagram channel does not fail in a way we could act on
        }
    }
}
