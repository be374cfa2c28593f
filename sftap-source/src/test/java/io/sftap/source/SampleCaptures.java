package io.sftap.source;

import io.sftap.source.pcap.PcapWriter;
import io.sftap.source.wire.DropReason;
import io.sftap.source.wire.FrameDecoder;
import io.sftap.source.wire.LinkTypes;
import io.sftap.source.wire.Packet;
import io.sftap.source.wire.TcpFlags;
import io.sftap.source.wire.TestFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small Ethernet pcaps for source tests and says what a correct reader must produce. */
public final class SampleCaptures {
    private SampleCaptures() {}

    /**
     * Writes {@code frames} frames: TCP packets of one flow whose payload names the file and the
     * frame index, with every seventh frame an ARP frame (dropped as not_ip).
     */
    public static void write(Path path, String tag, int frames, long startNanos) throws IOException {
        try (PcapWriter w = PcapWriter.create(path, LinkTypes.ETHERNET, true)) {
            for (int i = 0; i < frames; i++) {
                w.write(startNanos + i * 1_000_000L, frame(tag, i));
            }
        }
    }

    /** Frame {@code i} of a file written by {@link #write}. */
    public static byte[] frame(String tag, int i) {
        if (i % 7 == 6) {
            return TestFrames.ethernet(0x0806, new byte[28]);
        }
        byte[] payload = (tag + "#" + i).getBytes();
        return TestFrames.ethernet(0x0800, TestFrames.ipv4(6,
                TestFrames.tcp(40000 + i % 3, 80, i * 100, 0, TcpFlags.ACK | TcpFlags.PSH, payload)));
    }

    /** The packets a correct reader emits for {@link #write}, in order. */
    public static List<Packet> expected(String tag, int frames, long startNanos) {
        List<Packet> out = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder();
        for (int i = 0; i < frames; i++) {
            byte[] f = frame(tag, i);
            Packet p = new Packet();
            DropReason drop = decoder.decode(LinkTypes.ETHERNET, f, 0, f.length, startNanos + i * 1_000_000L, p);
            if (drop == null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Frames that {@link #write} makes undecodable (ARP). */
    public static int dropped(int frames) {
        return (frames + 1) / 7;
    }
}
