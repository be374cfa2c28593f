package io.sftap.job.replicate;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A replicator lab made of network namespaces only, torn down by {@link #close}: {@code TAG-snd}
 * (senders: 198.18.1.1, 2001:db8:1::1) — {@code TAG-rep} (the replicator: 198.18.1.254 and
 * 2001:db8:1::fe towards the senders; a bridge 198.18.2.254 / 2001:db8:2::fe towards the
 * collectors) — {@code TAG-c1..cN} (collector i: 198.18.2.i, 2001:db8:2::i).
 *
 * <p>198.18.0.0/15 (RFC 2544 benchmarking) and 2001:db8::/32 (documentation) never leave the
 * namespaces. Every process started here is stopped by its PID.
 */
final class NetnsLab implements AutoCloseable {
    final String tag;
    final int collectors;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    NetnsLab(String tag, int collectors) throws IOException, InterruptedException {
        this.tag = tag;
        this.collectors = collectors;
        try {
            build();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    String ns(String name) {
        return tag + "-" + name;
    }

    static String collector4(int i) {
        return "198.18.2." + i;
    }

    private void addNamespace(String name) throws IOException, InterruptedException {
        run("ip", "netns", "add", ns(name));
        namespaces.add(ns(name));
        ip(name, "link", "set", "lo", "up");
    }

    private void ip(String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns(name)));
        cmd.addAll(List.of(args));
        run(cmd.toArray(new String[0]));
    }

    private void build() throws IOException, InterruptedException {
        addNamespace("snd");
        addNamespace("rep");
        ip("rep", "link", "add", "s0", "type", "veth", "peer", "name", "s0", "netns", ns("snd"));
        ip("snd", "addr", "add", "198.18.1.1/24", "dev", "s0");
        ip("snd", "addr", "add", "2001:db8:1::1/64", "dev", "s0", "nodad");
        ip("snd", "link", "set", "s0", "up");
        ip("snd", "route", "add", "default", "via", "198.18.1.254");
        ip("snd", "-6", "route", "add", "default", "via", "2001:db8:1::fe");
        ip("rep", "addr", "add", "198.18.1.254/24", "dev", "s0");
        ip("rep", "addr", "add", "2001:db8:1::fe/64", "dev", "s0", "nodad");
        ip("rep", "link", "set", "s0", "up");
        ip("rep", "link", "add", "br0", "type", "bridge");
        ip("rep", "addr", "add", "198.18.2.254/24", "dev", "br0");
        ip("rep", "addr", "add", "2001:db8:2::fe/64", "dev", "br0", "nodad");
        ip("rep", "link", "set", "br0", "up");
        for (int i = 1; i <= collectors; i++) {
            String c = "c" + i;
            addNamespace(c);
            ip("rep", "link", "add", "p" + i, "type", "veth", "peer", "name", "e0", "netns", ns(c));
            ip("rep", "link", "set", "p" + i, "master", "br0", "up");
            ip(c, "addr", "add", collector4(i) + "/24", "dev", "e0");
            ip(c, "addr", "add", "2001:db8:2::" + Integer.toHexString(i) + "/64", "dev", "e0", "nodad");
            ip(c, "link", "set", "e0", "up");
            ip(c, "route", "add", "default", "via", "198.18.2.254");
            ip(c, "-6", "route", "add", "default", "via", "2001:db8:2::fe");
        }
    }

    /** Starts {@code cmd} inside namespace {@code name}, output to {@code log}; stopped at close. */
    Process start(String name, Path log, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(name)));
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** Runs {@code cmd} inside namespace {@code name} to its end (at most {@code seconds}); its output. */
    String exec(String name, int seconds, String... cmd) throws IOException, InterruptedException {
        return run(seconds, true, inNamespace(name, cmd));
    }

    /**
     * As {@link #exec}, but returns the output whatever the exit status: for a peer whose status
     * races at its own shutdown (pmacctd reading a capture file exits 1 when its core sees the
     * plugin it just stopped go away); the caller checks the output and what arrived instead.
     */
    String execAnyExit(String name, int seconds, String... cmd) throws IOException, InterruptedException {
        return run(seconds, false, inNamespace(name, cmd));
    }

    private String[] inNamespace(String name, String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(name)));
        full.addAll(List.of(cmd));
        return full.toArray(new String[0]);
    }

    /** Stops one process by its PID: SIGTERM, then SIGKILL after 5 s. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        return run(30, cmd);
    }

    static String run(int seconds, String... cmd) throws IOException, InterruptedException {
        return run(seconds, true, cmd);
    }

    private static String run(int seconds, boolean checkExit, String... cmd) throws IOException, InterruptedException {
        File out = File.createTempFile("sftap-lab", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                stop(p);
                throw new IOException(String.join(" ", cmd) + ": still running after " + seconds + " s");
            }
            String text = java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8);
            if (checkExit && p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + text.trim());
            }
            return text;
        } finally {
            out.delete();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            stop(p);
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                run("ip", "netns", "del", namespaces.get(i));
            } catch (IOException e) {
                System.err.println("lab cleanup: " + e.getMessage());
            }
        }
    }
}
