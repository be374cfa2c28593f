package io.sftap.source.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lab of {@code deploy/lab/lab.sh} for one test class: namespaces and a capture port made on
 * {@link #up} and torn down on {@link #close}. Also makes sure the tools the tests run are there.
 */
public final class LabNetwork implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final String name;
    private final Map<String, String> env;

    private LabNetwork(String name, Map<String, String> env) {
        this.name = name;
        this.env = env;
    }

    /** Builds a lab with a unique name; {@code options} as for {@code lab.sh up} (e.g. --http 8080). */
    public static LabNetwork up(String... options) throws IOException, InterruptedException {
        requireRoot();
        requireTool("tc", "iproute2");
        String name = "j" + (ProcessHandle.current().pid() % 100_000) + (char) ('a' + SEQ.getAndIncrement() % 26);
        List<String> cmd = new ArrayList<>(List.of("up", name));
        cmd.addAll(Arrays.asList(options));
        Result up = lab(cmd.toArray(new String[0]));
        if (up.exit != 0) {
            throw new IllegalStateException("lab.sh up failed (" + up.exit + "): " + up.output);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : lab("status", name).output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new LabNetwork(name, env);
    }

    public String captureInterface() {
        return get("CAPTURE_IF");
    }

    public String get(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new IllegalStateException("lab status has no " + key + ": " + env);
        }
        return v;
    }

    /** Replays {@code pcap} from the client namespace with tcpreplay (extra arguments such as --pps). */
    public Result replay(Path pcap, String... tcpreplayArgs) throws IOException, InterruptedException {
        requireTool("tcpreplay", "tcpreplay");
        List<String> cmd = new ArrayList<>(List.of("replay", name, pcap.toString()));
        cmd.addAll(Arrays.asList(tcpreplayArgs));
        Result r = lab(cmd.toArray(new String[0]));
        if (r.exit != 0) {
            throw new IllegalStateException("tcpreplay failed (" + r.exit + "): " + r.output);
        }
        return r;
    }

    /** Runs a command in the client ("src") or server ("srv") namespace. */
    public Result exec(String where, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("exec", name, where));
        cmd.addAll(Arrays.asList(command));
        return lab(cmd.toArray(new String[0]));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Result down = lab("down", name);
        if (down.exit != 0) {
            throw new IllegalStateException("lab.sh down failed: " + down.output);
        }
    }

    /** Exit code and merged output of a finished process. */
    public static final class Result {
        public final int exit;
        public final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    public static Path labScript() {
        Path p = Path.of("").toAbsolutePath();
        for (Path dir = p; dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("deploy/lab/lab.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("deploy/lab/lab.sh not found above " + p);
    }

    static Result lab(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", labScript().toString()));
        cmd.addAll(Arrays.asList(args));
        return run(60, cmd.toArray(new String[0]));
    }

    public static Result run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        reader.join();
        return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }

    static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("live capture tests build network namespaces and need root; "
                    + "run them as root (e.g. in CI or a VM)");
        }
    }

    /** Installs {@code pkg} when {@code tool} is missing (as root), else fails with what to install. */
    public static synchronized void requireTool(String tool, String pkg) throws IOException, InterruptedException {
        if (run(10, "sh", "-c", "command -v " + tool).exit == 0) {
            return;
        }
        requireRoot();
        Result r = run(600, "sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + pkg
                + " || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + pkg + ")");
        if (r.exit != 0 || run(10, "sh", "-c", "command -v " + tool).exit != 0) {
            throw new IllegalStateException(tool + " is missing and installing it failed: apt-get install -y " + pkg
                    + "\n" + r.output);
        }
    }
}
