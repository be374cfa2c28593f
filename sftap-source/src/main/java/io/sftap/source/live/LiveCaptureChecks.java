package io.sftap.source.live;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Checks, before a job starts, that live capture on an interface can work, and says what to do when
 * it cannot: the interface must exist, the process must hold CAP_NET_RAW, libpcap must load.
 *
 * <pre>{@code
 * LiveCaptureChecks.check("eth1"); // throws LiveCaptureException with a message for the user
 * }</pre>
 */
public final class LiveCaptureChecks {
    /** Linux capability number of CAP_NET_RAW. */
    static final int CAP_NET_RAW = 13;
    /** libpcap's pseudo-interface capturing on all interfaces. */
    static final String ANY = "any";

    private final Supplier<List<String>> interfaceNames;
    private final Supplier<String> processStatus;
    private final Supplier<String> libpcapVersion;

    LiveCaptureChecks(Supplier<List<String>> interfaceNames, Supplier<String> processStatus,
            Supplier<String> libpcapVersion) {
        this.interfaceNames = interfaceNames;
        this.processStatus = processStatus;
        this.libpcapVersion = libpcapVersion;
    }

    /** Checks against this host and process; throws {@link LiveCaptureException} naming the problem. */
    public static void check(String iface) {
        new LiveCaptureChecks(LiveCaptureChecks::hostInterfaces, LiveCaptureChecks::ownStatus,
                org.pcap4j.core.Pcaps::libVersion).run(iface);
    }

    /**
     * Checks the interfaces named on the command line: prints what is wrong and exits 1, or prints
     * the libpcap version and exits 0. For scripts: {@code java -cp ... LiveCaptureChecks eth1}.
     */
    public static void main(String[] args) {
        try {
            if (args.length == 0) {
                throw new LiveCaptureException("usage: LiveCaptureChecks IFACE...");
            }
            for (String iface : args) {
                check(iface);
            }
            System.out.println("live capture ready on " + String.join(", ", args) + " ("
                    + org.pcap4j.core.Pcaps.libVersion() + ")");
        } catch (LiveCaptureException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    void run(String iface) {
        if (iface == null || iface.isBlank()) {
            throw new LiveCaptureException("no interface name given");
        }
        List<String> names = interfaceNames.get();
        if (!iface.equals(ANY) && !names.contains(iface)) {
            throw new LiveCaptureException("interface " + iface + " does not exist; interfaces on this host: "
                    + String.join(", ", names));
        }
        String status = processStatus.get();
        if (status != null && !hasEffectiveCapability(status, CAP_NET_RAW)) {
            throw new LiveCaptureException("capturing on " + iface + " needs the CAP_NET_RAW capability, which this "
                    + "process lacks: run as root, or grant it to java with "
                    + "`sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))`");
        }
        loadLibpcap(libpcapVersion);
    }

    /** True when the {@code CapEff} line of a {@code /proc/<pid>/status} text has capability {@code cap}. */
    static boolean hasEffectiveCapability(String status, int cap) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long mask = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                return (mask & (1L << cap)) != 0;
            }
        }
        return true; // not Linux-like: let libpcap say what is wrong
    }

    /** Interfaces of this network namespace: sysfs lists those without addresses too, Java does not. */
    private static List<String> hostInterfaces() {
        TreeSet<String> names = new TreeSet<>();
        Path sys = Path.of("/sys/class/net");
        if (Files.isDirectory(sys)) {
            try (Stream<Path> entries = Files.list(sys)) {
                entries.forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                // fall back to what Java sees
            }
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                names.add(nif.getName());
            }
        } catch (SocketException e) {
            throw new LiveCaptureException("cannot list network interfaces: " + e.getMessage());
        }
        return new ArrayList<>(names);
    }

    private static String ownStatus() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return null;
        }
        try {
            return Files.readString(status);
        } catch (IOException e) {
            return null;
        }
    }

    /** Loads libpcap (through pcap4j's {@code Pcaps::libVersion}) and returns its version, or says how to install it. */
    static String loadLibpcap(Supplier<String> libpcapVersion) {
        try {
            return libpcapVersion.get();
        } catch (LinkageError e) { // UnsatisfiedLinkError, or NoClassDefFoundError after a failed load
            throw new LiveCaptureException("libpcap cannot be loaded (" + e + "): install libpcap: "
                    + "apt-get install libpcap0.8 (Debian/Ubuntu) or dnf install libpcap (Fedora/RHEL)");
        }
    }

    /** Live capture cannot start; the message says why and what to do. */
    public static final class LiveCaptureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LiveCaptureException(String message) {
            super(message);
        }
    }
}
