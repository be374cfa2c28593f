package io.sftap.source.wire;

/** Bits of the TCP flags field. */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;
    public static final int NS = 0x100;

    private TcpFlags() {}

    /** Flags as tcpdump prints them, e.g. {@code S.} for SYN+ACK. */
    public static String toString(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & SYN) != 0) sb.append('S');
        if ((flags & FIN) != 0) sb.append('F');
        if ((flags & RST) != 0) sb.append('R');
        if ((flags & PSH) != 0) sb.append('P');
        if ((flags & ACK) != 0) sb.append('.');
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
