package io.sftap.job.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * A temporary folder for an embedded Flink's own files ({@code io.tmp.dirs}) that goes with the
 * run or the process. Flink unpacks its RPC system there (a 24 MB jar) and keeps spill and shuffle
 * folders; a MiniCluster shuts down asynchronously after its job and deletes them only if it
 * finishes before the process exits, which it often does not: each run left 24 MB in the system
 * temp dir.
 */
public final class ProcessTempDir {
    private ProcessTempDir() {
    }

    /** A new folder under the system temp dir; its maker deletes it once its jobs have ended. */
    public static Path create() throws IOException {
        return Files.createTempDirectory("sftap-flink-");
    }

    /**
     * A new folder that goes when the JVM exits, for callers that run their jobs to the end before
     * exiting (benchmarks, the conformance suite, tests). Shutdown hooks run concurrently, so a
     * process that may still be stopping a job in a hook deletes its folder there instead.
     */
    public static Path createDeletedOnExit() throws IOException {
        Path dir = create();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "sftap temp dir cleanup"));
        return dir;
    }

    /** Flink's temporary files (its RPC jar, spill, shuffle and REST upload folders) go into {@code dir}. */
    public static void useFor(Configuration conf, Path dir) {
        conf.set(CoreOptions.TMP_DIRS, dir.toString());
        conf.set(WebOptions.UPLOAD_DIR, dir.toString());
    }

    /**
     * Deletes {@code dir} and everything in it. A file that cannot be deleted stays (a cleanup must
     * not fail a run that has ended); a folder that cannot be walked is reported.
     */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("sftap: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
