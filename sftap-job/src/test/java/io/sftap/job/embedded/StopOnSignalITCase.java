package io.sftap.job.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code sftap run} process told to stop by SIGTERM prints its summary and no stack trace,
 * and leaves none of its or Flink's temporary files behind.
 */
class StopOnSignalITCase {
    @TempDir Path dir;

    @Test
    void sigtermStopsTheRunWithASummaryAndNoCancellationTrace() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Path sample = root.resolve("samples").resolve("sample.pcap");
        Path home = dir.resolve("home");
        Path output = dir.resolve("output.txt");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String java = ProcessHandle.current().info().command().orElse("java");
        // Waiting for analyzers that never come keeps the job running until the signal. Logging as
        // bin/sftap sets it up: what a user sees (a checkpoint the cancel aborts is not news there).
        Process run = new ProcessBuilder(List.of(java,
                "-Dlog4j2.configurationFile=" + root.resolve("deploy").resolve("log4j2-cli.properties"),
                "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"),
                "io.sftap.job.cli.SftapCli", "run", "--pcap", sample.toString(), "--home", home.toString(),
                "--wait-analyzers", "120s"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // The first progress line: the job runs and the runner waits for its result.
            while (!Files.readString(output).contains("progress:") && System.nanoTime() < deadline && run.isAlive()) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(output)).as("the run's output so far").contains("progress:");

            run.destroy(); // SIGTERM
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the process exits").isTrue();
        } finally {
            run.destroyForcibly();
        }
        String out = Files.readString(output);
        assertThat(out).contains("summary: finished in").doesNotContain("Exception");
        assertThat(run.exitValue()).as("128 + SIGTERM").isEqualTo(143);
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("left in the process's temp dir: Flink's RPC jar, spill and shuffle folders, our checkpoints")
                    .noneMatch(name -> name.startsWith("flink-") || name.startsWith("sftap-"));
        }
    }
}
