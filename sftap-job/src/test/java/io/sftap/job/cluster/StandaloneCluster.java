package io.sftap.job.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink standalone session cluster for tests, run with the {@code deploy/flink} scripts:
 * assembled once into {@code target/flink-dist}, started with its own ports, stopped (by the PIDs
 * the scripts recorded) on {@link #close}. Submits jobs with the {@code flink} wrapper and reads
 * the REST API.
 */
final class StandaloneCluster implements AutoCloseable {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path SCRIPTS = REPO.resolve("deploy/flink");
    static final Path JOB_JAR = Path.of("target/sftap-job.jar").toAbsolutePath();
    private static final Path DIST = Path.of("target/flink-dist").toAbsolutePath();
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private boolean started;

    private StandaloneCluster(int restPort) {
        this.restPort = restPort;
    }

    /** Assembles the distribution if needed and starts one JobManager and {@code taskManagers} TaskManagers. */
    static StandaloneCluster start(int restPort, int rpcPort, int taskManagers, int slots, String... dynamic)
            throws Exception {
        synchronized (StandaloneCluster.class) {
            if (!Files.isDirectory(DIST.resolve("lib"))) {
                run(Duration.ofMinutes(5), SCRIPTS.resolve("assemble.sh").toString(), DIST.toString());
            }
        }
        StandaloneCluster cluster = new StandaloneCluster(restPort);
        List<String> cmd = new ArrayList<>(List.of(SCRIPTS.resolve("cluster.sh").toString(), "start", "--dir",
                DIST.toString(), "--taskmanagers", Integer.toString(taskManagers), "--slots", Integer.toString(slots),
                "--rest-port", Integer.toString(restPort), "--rpc-port", Integer.toString(rpcPort), "--timeout", "90"));
        for (String d : dynamic) {
            cmd.add("-D");
            cmd.add(d);
        }
        cluster.started = true;
        try {
            run(Duration.ofSeconds(120), cmd.toArray(String[]::new));
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static Path dist() {
        return DIST;
    }

    /** {@code flink run -d [flinkArgs] sftap-job.jar jobArgs}; returns the job id. */
    String submit(List<String> flinkArgs, List<String> jobArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SCRIPTS.resolve("flink").toString(), "run", "-d"));
        cmd.addAll(flinkArgs);
        cmd.add(JOB_JAR.toString());
        cmd.addAll(jobArgs);
        String out = run(Duration.ofSeconds(120), cmd.toArray(String[]::new));
        Matcher m = JOB_ID.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no JobID in flink run output:\n" + out);
        }
        return m.group(1);
    }

    /** Runs the {@code flink} client with {@code args}; returns its output. */
    String flink(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SCRIPTS.resolve("flink").toString()));
        cmd.addAll(List.of(args));
        return run(timeout, cmd.toArray(String[]::new));
    }

    /** Kills TaskManager {@code index} with SIGKILL, by the PID the scripts recorded; waits until it is gone. */
    void killTaskManager(int index) throws Exception {
        long pid = Long.parseLong(Files.readString(DIST.resolve("run/taskmanager-" + index + ".pid")).strip());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    void startTaskManager() throws Exception {
        run(Duration.ofSeconds(120), SCRIPTS.resolve("cluster.sh").toString(), "start-tm", "--dir", DIST.toString(),
                "--timeout", "90");
    }

    String rest(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    String jobState(String job) {
        Matcher m = Pattern.compile("\"state\":\"([A-Z_]+)\"").matcher(rest("/jobs/" + job));
        return m.find() ? m.group(1) : "";
    }

    /** Whether the job and all its tasks run (the job is RUNNING before its tasks are deployed). */
    boolean fullyRunning(String job) {
        String detail = rest("/jobs/" + job);
        if (!"RUNNING".equals(jobState(job))) {
            return false;
        }
        Matcher m = Pattern.compile("\"status\":\"([A-Z_]+)\"").matcher(detail);
        boolean any = false;
        while (m.find()) {
            any = true;
            if (!m.group(1).equals("RUNNING") && !m.group(1).equals("FINISHED")) {
                return false;
            }
        }
        return any;
    }

    long completedCheckpoints(String job) {
        Matcher m = Pattern.compile("\"completed\":(\\d+)").matcher(rest("/jobs/" + job + "/checkpoints"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Id of the checkpoint the job restored from, or -1. */
    long restoredCheckpoint(String job) {
        Matcher m = Pattern.compile("\"restored\":\\{\"id\":(\\d+)").matcher(rest("/jobs/" + job + "/checkpoints"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** The TaskManager logs, for assertions on what the job logged. */
    String taskManagerLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(DIST.resolve("log"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().matches("flink-taskmanager-\\d+\\.log.*")).toList()) {
                all.append(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        if (started) {
            started = false;
            run(Duration.ofSeconds(120), SCRIPTS.resolve("cluster.sh").toString(), "stop", "--dir", DIST.toString());
        }
    }

    static String run(Duration timeout, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SFTAP_FLINK_DIR", DIST.toString());
        Path out = Files.createTempFile("sftap-cmd-", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", cmd)
                        + "\n" + Files.readString(out));
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
