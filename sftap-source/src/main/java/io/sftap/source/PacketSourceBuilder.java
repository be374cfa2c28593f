package io.sftap.source;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

import io.sftap.source.live.LiveCaptureOptions;
import io.sftap.source.pcap.CaptureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Builder of {@link PacketSource}.
 *
 * <pre>{@code
 * PacketSource source = PacketSource.builder()
 *         .setFiles(List.of(Path.of("a.pcap"), Path.of("b.pcapng")))
 *         .setFramesPerBatch(1024)
 *         .build();
 *
 * PacketSource live = PacketSource.builder()
 *         .setInterfaces(List.of("eth1", "eth2"))
 *         .setFilter("not port 22")                      // all interfaces
 *         .setCaptureOptions("eth2", LiveCaptureOptions.defaults().withSnaplen(9216))
 *         .setInjectionSocket(Path.of("/tmp/sf-tap/pcap"))
 *         .build();
 * }</pre>
 *
 * <p>Global capture settings ({@code setFilter}, {@code setSnaplen}, ...) apply to every interface
 * without options of its own from {@link #setCaptureOptions(String, LiveCaptureOptions)}.
 */
@PublicEvolving
public final class PacketSourceBuilder {
    private List<Path> files;
    private List<String> interfaces = List.of();
    private LiveCaptureOptions captureOptions = LiveCaptureOptions.defaults();
    private final Map<String, LiveCaptureOptions> perInterface = new HashMap<>();
    private Path injectionSocket;
    private int framesPerBatch = PacketSourceOptions.FRAMES_PER_BATCH.defaultValue();

    PacketSourceBuilder() {}

    /** The capture files (pcap or pcapng) to read; each becomes one split. */
    public PacketSourceBuilder setFiles(List<Path> files) {
        this.files = files == null ? null : new ArrayList<>(files);
        return this;
    }

    public PacketSourceBuilder setFiles(Path... files) {
        return setFiles(Arrays.asList(files));
    }

    /** Live interfaces to capture (e.g. {@code eth1}, or libpcap's {@code any}); each becomes one split. */
    public PacketSourceBuilder setInterfaces(List<String> interfaces) {
        this.interfaces = interfaces == null ? null : new ArrayList<>(interfaces);
        return this;
    }

    public PacketSourceBuilder setInterfaces(String... interfaces) {
        return setInterfaces(Arrays.asList(interfaces));
    }

    /** Capture settings of every interface that has none of its own. */
    public PacketSourceBuilder setCaptureOptions(LiveCaptureOptions options) {
        this.captureOptions = checkNotNull(options, "capture options must not be null");
        return this;
    }

    /** Capture settings of one interface (overrides the global ones entirely). */
    public PacketSourceBuilder setCaptureOptions(String iface, LiveCaptureOptions options) {
        perInterface.put(checkNotNull(iface, "interface name"), checkNotNull(options, "capture options"));
        return this;
    }

    /** BPF filter (tcpdump syntax) of every interface; empty for none. */
    public PacketSourceBuilder setFilter(String bpf) {
        return setCaptureOptions(captureOptions.withFilter(bpf == null ? "" : bpf));
    }

    /** Bytes kept of each frame; longer frames are counted as {@code drop.truncated_capture}. */
    public PacketSourceBuilder setSnaplen(int snaplen) {
        return setCaptureOptions(captureOptions.withSnaplen(snaplen));
    }

    /** Kernel capture buffer (ring) per interface, in bytes. */
    public PacketSourceBuilder setBufferBytes(int bytes) {
        return setCaptureOptions(captureOptions.withBufferBytes(bytes));
    }

    public PacketSourceBuilder setPromiscuous(boolean promiscuous) {
        return setCaptureOptions(captureOptions.withPromiscuous(promiscuous));
    }

    /** Hand each packet over at once rather than per filled kernel block (lower latency, more CPU). */
    public PacketSourceBuilder setImmediate(boolean immediate) {
        return setCaptureOptions(captureOptions.withImmediate(immediate));
    }

    /**
     * Serves the pcap injection socket (INTERFACE.md: {@code <home>/pcap}) at {@code socket}: clients
     * write pcap streams there that are processed as if captured. Null for none (the default).
     */
    public PacketSourceBuilder setInjectionSocket(Path socket) {
        this.injectionSocket = socket;
        return this;
    }

    /** Frames read and decoded per fetch (see {@link PacketSourceOptions#FRAMES_PER_BATCH}). */
    public PacketSourceBuilder setFramesPerBatch(int framesPerBatch) {
        this.framesPerBatch = framesPerBatch;
        return this;
    }

    /**
     * Checks the settings and builds the source.
     *
     * @throws IllegalArgumentException or {@link IllegalStateException} naming the bad setting, or
     *     {@link UncheckedIOException} naming a file that is missing or not a capture
     */
    public PacketSource build() {
        sanityCheck();
        List<String> paths = new ArrayList<>();
        for (Path file : files == null ? List.<Path>of() : files) {
            paths.add(file.toAbsolutePath().normalize().toString());
        }
        LinkedHashMap<String, LiveCaptureOptions> live = new LinkedHashMap<>();
        for (String iface : interfaces) {
            live.put(iface, perInterface.getOrDefault(iface, captureOptions));
        }
        String socket = injectionSocket == null ? null : injectionSocket.toAbsolutePath().normalize().toString();
        return new PacketSource(paths, live, socket, framesPerBatch);
    }

    private void sanityCheck() {
        checkNotNull(interfaces, "interface list must not be null");
        boolean live = !interfaces.isEmpty() || injectionSocket != null;
        checkState(live || files != null,
                "nothing to capture: call setFiles(...), setInterfaces(...) or setInjectionSocket(...)");
        checkState(live || !files.isEmpty(), "no capture files: setFiles(...) was given an empty list");
        checkArgument(framesPerBatch >= 1, "framesPerBatch must be at least 1, got %s", framesPerBatch);
        Set<String> names = new HashSet<>();
        for (String iface : interfaces) {
            checkArgument(iface != null && !iface.isBlank(), "interface list contains an empty name");
            checkArgument(iface.length() < 16 && !iface.contains("/") && !iface.contains(" "),
                    "'%s' is not an interface name", iface);
            checkArgument(names.add(iface), "interface %s is listed twice; its packets would be read twice", iface);
        }
        for (String iface : perInterface.keySet()) {
            checkArgument(names.contains(iface), "capture options given for %s, which is not in setInterfaces(...)",
                    iface);
        }
        Set<Path> seen = new HashSet<>();
        for (Path file : files == null ? List.<Path>of() : files) {
            checkNotNull(file, "capture file list contains null");
            checkArgument(seen.add(file.toAbsolutePath().normalize()),
                    "capture file %s is listed twice; its packets would be read twice", file);
            try {
                CaptureFiles.detect(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
    }
}
