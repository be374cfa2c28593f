package io.sftap.job.rules;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a rules file by polling its content (robust to editors that replace the file and to
 * network file systems, where change notifications are unreliable) and submits every change to
 * the {@link RulesIntake}. A change that does not validate is logged once and ignored.
 */
public final class RulesFileWatcher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RulesFileWatcher.class);

    private final Path file;
    private final RulesIntake intake;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean running = true;
    /** The content last read (submitted or refused); a change is a difference from it. */
    private String lastSeen;

    public RulesFileWatcher(Path file, String baseline, RulesIntake intake, Duration interval) {
        this.file = file;
        this.lastSeen = baseline;
        this.intake = intake;
        this.interval = interval;
        this.thread = new Thread(this::run, "sftap-rules-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The file's text, or null if it cannot be read now (e.g. while an editor replaces it). */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            String text = read(file);
            if (text == null || text.equals(lastSeen)) {
                continue;
            }
            lastSeen = text;
            String reply = intake.submit(text, file.toString(), RulesSplit.Origin.FILE);
            if (reply.startsWith("OK")) {
                LOG.info("rules file {} changed: {}", file, reply);
            } else {
                LOG.error("rules file {} changed but is refused, previous rules stay: {}", file, reply);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
