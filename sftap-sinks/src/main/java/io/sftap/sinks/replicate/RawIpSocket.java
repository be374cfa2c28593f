package io.sftap.sinks.replicate;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A Linux raw IP socket whose packets carry their own IP header ({@code IPPROTO_RAW}, which implies
 * {@code IP_HDRINCL} for IPv4 and IPv6), connected to one destination. Reached through JNA's libc
 * binding, no native code of ours.
 *
 * <p>The kernel routes each packet, resolves the next hop's link address (ARP/NDP, including for
 * destinations it has not talked to yet) and passes it through netfilter's OUTPUT chain, so any
 * interface type works (VLAN, bond, tunnel, loopback). It does not fragment: the caller builds
 * packets of at most {@link #mtu()} bytes. Needs CAP_NET_RAW.
 */
public final class RawIpSocket implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;
    private static final int IPPROTO_IP = 0;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IP_MTU = 14;
    private static final int IPV6_MTU = 24;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    /** errno: message too long for the path (the MTU shrank). */
    public static final int EMSGSIZE = 90;

    /** The libc calls we use. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int connect(int fd, byte[] address, int length) throws LastErrorException;

        long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

        int getsockopt(int fd, int level, int name, IntByReference value, IntByReference length) throws LastErrorException;

        int setsockopt(int fd, int level, int name, IntByReference value, int length) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static volatile LibC libc;

    private final int fd;
    private final boolean ipv6;

    private RawIpSocket(int fd, boolean ipv6) {
        this.fd = fd;
        this.ipv6 = ipv6;
    }

    private static LibC libc() {
        if (libc == null) {
            libc = Native.load("c", LibC.class);
        }
        return libc;
    }

    /**
     * Opens a raw socket to {@code destination} (4 or 16 bytes).
     *
     * @throws IOException with a message naming CAP_NET_RAW when the process may not open raw sockets
     */
    public static RawIpSocket connect(byte[] destination, int sendBufferBytes) throws IOException {
        boolean v6 = destination.length == 16;
        int fd;
        try {
            fd = libc().socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW, IPPROTO_RAW);
        } catch (LastErrorException e) {
            throw new IOException("cannot open a raw socket (source-preserving copies need root or CAP_NET_RAW): "
                    + errorText(e), e);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("raw sockets need Linux libc through JNA: " + e.getMessage(), e);
        }
        RawIpSocket s = new RawIpSocket(fd, v6);
        try {
            byte[] sa = sockaddr(destination);
            libc().connect(fd, sa, sa.length);
            if (sendBufferBytes > 0) {
                libc().setsockopt(fd, SOL_SOCKET, SO_SNDBUF, new IntByReference(sendBufferBytes), 4);
            }
        } catch (LastErrorException e) {
            s.close();
            throw new IOException("cannot connect a raw socket to " + DestinationNames.of(destination, 0) + ": " + errorText(e), e);
        }
        return s;
    }

    /** The path MTU the kernel holds for the connected destination. */
    public int mtu() throws IOException {
        IntByReference v = new IntByReference();
        IntByReference len = new IntByReference(4);
        try {
            libc().getsockopt(fd, ipv6 ? IPPROTO_IPV6 : IPPROTO_IP, ipv6 ? IPV6_MTU : IP_MTU, v, len);
        } catch (LastErrorException e) {
            throw new IOException("cannot read the path MTU: " + errorText(e), e);
        }
        return v.getValue();
    }

    /**
     * Sends one whole IP packet (header included). Blocks while the socket's send buffer is full.
     *
     * @throws RawSendException carrying errno when the kernel refuses the packet
     */
    public void send(byte[] packet) throws RawSendException {
        try {
            libc().send(fd, packet, packet.length, 0);
        } catch (LastErrorException e) {
            throw new RawSendException(e.getErrorCode(), errorText(e));
        }
    }

    @Override
    public void close() {
        try {
            libc().close(fd);
        } catch (LastErrorException e) {
            // nothing to do: the descriptor is gone either way
        }
    }

    /** {@code struct sockaddr_in} / {@code sockaddr_in6} with port 0 (raw sockets have no ports). */
    static byte[] sockaddr(byte[] address) {
        ByteBuffer b = ByteBuffer.allocate(address.length == 16 ? 28 : 16);
        b.order(ByteOrder.nativeOrder()).putShort((short) (address.length == 16 ? AF_INET6 : AF_INET));
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) 0);
        if (address.length == 16) {
            b.putInt(0); // flow info
        }
        b.put(address);
        return b.array();
    }

    private static String errorText(LastErrorException e) {
        String m = e.getMessage();
        return m == null ? "errno " + e.getErrorCode() : m;
    }

    /** A send the kernel refused, with its errno. */
    public static final class RawSendException extends IOException {
        private static final long serialVersionUID = 1L;
        public final int errno;

        RawSendException(int errno, String message) {
            super(message);
            this.errno = errno;
        }
    }
}
