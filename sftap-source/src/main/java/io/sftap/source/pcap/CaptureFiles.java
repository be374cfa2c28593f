package io.sftap.source.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens capture files, choosing the reader by the file's magic number. */
public final class CaptureFiles {
    private CaptureFiles() {}

    /** Opens a pcap or pcapng file positioned at its first record. */
    public static CaptureFileReader open(Path path) throws IOException {
        switch (detect(path)) {
            case PCAP:
                return new PcapFileReader(path);
            case PCAPNG:
                return new PcapngFileReader(path);
            default:
                throw new AssertionError();
        }
    }

    /**
     * The format of a capture file.
     *
     * @throws IOException with a message naming the file and what is wrong with it
     */
    public static CaptureFormat detect(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "capture file not found");
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException("capture file " + path + " is not a regular file");
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n < 4) {
            throw new IOException("capture file " + path + " is too short to be pcap or pcapng (" + n + " bytes)");
        }
        CaptureFormat format = CaptureFormat.ofMagic(head[0] & 0xff, head[1] & 0xff, head[2] & 0xff, head[3] & 0xff);
        if (format == null) {
            throw new IOException("capture file " + path + " is not pcap or pcapng: it starts with "
                    + String.format("%02x %02x %02x %02x", head[0], head[1], head[2], head[3]) + hint(head));
        }
        return format;
    }

    private static String hint(byte[] h) {
        if ((h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return " (gzip-compressed; decompress it first)";
        }
        if ((h[0] & 0xff) == 0xa1 && (h[1] & 0xff) == 0xb2 && (h[2] & 0xff) == 0xcd && (h[3] & 0xff) == 0x34
                || (h[0] & 0xff) == 0x34 && (h[1] & 0xff) == 0xcd && (h[2] & 0xff) == 0xb2 && (h[3] & 0xff) == 0xa1) {
            return " (Kuznetzov's modified pcap, not supported; convert it with editcap -F pcap)";
        }
        return "";
    }
}
