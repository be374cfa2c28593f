package io.sftap.sinks.replicate;

import java.io.IOException;
import java.util.List;

/**
 * Sends copies with the original sender's address and port, through a {@link RawIpSocket}: builds
 * IP+UDP itself and fragments to the path MTU so large datagrams arrive whole.
 */
final class PreservingSender implements DestinationSender {
    private final RawIpSocket socket;
    private final boolean ipv6;
    private int mtu;
    /** IP identification of the next datagram; only this sender's thread touches it. */
    private int nextId;

    PreservingSender(ReplicaTarget target, int sendBufferBytes) throws IOException {
        this.socket = RawIpSocket.connect(target.address, sendBufferBytes);
        this.ipv6 = target.address.length == 16;
        this.mtu = socket.mtu();
        this.nextId = (int) System.nanoTime();
    }

    @Override
    public void send(Replica r, ReplicaTarget t) throws IOException {
        if (r.srcAddr.length != t.address.length) {
            throw new IOException("cannot keep an " + (ipv6 ? "IPv4" : "IPv6") + " source towards an "
                    + (ipv6 ? "IPv6" : "IPv4") + " collector; use source: relay for it");
        }
        int id = nextId++;
        try {
            sendAll(UdpPacketBuilder.packets(r.srcAddr, t.address, r.srcPort, t.port, r.payload, mtu, id));
        } catch (RawIpSocket.RawSendException e) {
            if (e.errno != RawIpSocket.EMSGSIZE) {
                throw e;
            }
            mtu = socket.mtu(); // the path MTU shrank since we asked: ask again and resend once
            sendAll(UdpPacketBuilder.packets(r.srcAddr, t.address, r.srcPort, t.port, r.payload, mtu, id));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void sendAll(List<byte[]> packets) throws IOException {
        for (byte[] p : packets) {
            socket.send(p);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
