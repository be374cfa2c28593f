package io.sftap.job.classify;

import java.io.Serializable;

/** The {@code global} section of the rules file: SF-TAP's keys plus sftap's extensions. */
public final class GlobalSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code global.home}: where the sockets live (default {@code /tmp/sf-tap}). */
    public String home = "/tmp/sf-tap";
    /** {@code global.timeout}: idle timeout of TCP flows, seconds (default 30). */
    public int tcpTimeoutSeconds = 30;
    /** Idle timeout of UDP flows, seconds. */
    public int udpTimeoutSeconds = 30;
    /** Idle timeout of ICMP flows, seconds. */
    public int icmpTimeoutSeconds = 30;
    /** L7 loopback hop limit: flows re-injected with a hop above this are dropped and counted. */
    public int hopLimit = 4;
    /** Bytes of each TCP direction the classifier looks at (and buffers until classified). */
    public int classifyBytes = 4096;
    /** Follow TCP flows whose SYN was not captured (SF-TAP ignores them). */
    public boolean pickupWithoutSyn = true;
    /** Out-of-order bytes queued per direction before a flow is COMPROMISED. */
    public int maxOutOfOrderBytes = 1 << 20;
    /** Out-of-order segments queued per direction before a flow is COMPROMISED. */
    public int maxOutOfOrderSegments = 1024;
    /** Seconds an incomplete IP datagram waits for its fragments. */
    public int fragmentTimeoutSeconds = 30;
    /** Fragments per datagram at most. */
    public int maxFragmentsPerDatagram = 1024;
    /** Largest reassembled datagram, bytes. */
    public int maxDatagramBytes = 65535 + 40;
    /** Unix group given access to the sockets (null: the process's group). */
    public String group;
}
