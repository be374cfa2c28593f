package io.sftap.job.rules;

import io.sftap.job.classify.RulesException;
import io.sftap.job.classify.RulesFile;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where new rules enter the rules source: validates each rules text, gives it the next version and
 * queues it for broadcast; refuses a bad text with file, line, rule and reason, keeping the old
 * rules. Also collects the end-of-replay reports of the capture subtasks. Thread-safe: the control
 * socket and the file watcher submit, the source reader polls.
 *
 * <p>Replies are the control protocol's: {@code OK v<N>} or {@code ERROR <file>:<line>: rule
 * '<r>': <problem>}.
 */
public final class RulesIntake {
    private final Runnable onChange;
    private final ArrayDeque<RulesSplit> queue = new ArrayDeque<>();
    private final Set<Integer> endedCaptures = new HashSet<>();
    private long version;
    private String text;
    private int capturesExpected = -1;

    /** Continues after {@code start} (the rules in force); {@code onChange} runs after each accepted change. */
    public RulesIntake(RulesSplit start, Runnable onChange) {
        this.version = start.version;
        this.text = start.text;
        this.endedCaptures.addAll(start.endedCaptures);
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    /** Validates and queues {@code rulesText}; an unchanged text is accepted without a new version. */
    public String submit(String rulesText, String sourceName, RulesSplit.Origin origin) {
        try {
            RulesFile.parse(rulesText, sourceName);
        } catch (RulesException e) {
            return "ERROR " + e.getMessage();
        } catch (RuntimeException e) {
            return "ERROR " + sourceName + ": " + e;
        }
        synchronized (this) {
            if (rulesText.equals(text)) {
                return "OK v" + version + " (unchanged)";
            }
            version++;
            text = rulesText;
            queue.add(new RulesSplit(version, rulesText, sourceName, origin, endedCaptures));
        }
        onChange.run();
        return "OK v" + version;
    }

    /** Capture subtask {@code subtask} of {@code of} finished its replay. */
    public String end(int subtask, int of) {
        synchronized (this) {
            endedCaptures.add(subtask);
            capturesExpected = of;
        }
        onChange.run();
        return "OK end " + subtask + "/" + of;
    }

    /** Whether every capture subtask reported the end of its replay. */
    public synchronized boolean capturesEnded() {
        return capturesExpected > 0 && endedCaptures.size() >= capturesExpected;
    }

    /** The next accepted rules to broadcast, or null. */
    public synchronized RulesSplit poll() {
        return queue.poll();
    }

    public synchronized boolean hasQueued() {
        return !queue.isEmpty();
    }

    public synchronized Set<Integer> endedCaptures() {
        return Set.copyOf(endedCaptures);
    }
}
