package io.sftap.bench.prof;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Prints the hottest methods of one thread in a JFR recording: Java and native samples, by the
 * method on top of the stack (self) and by every method on the stack (total).
 *
 * <p>usage: {@code JfrHotMethods FILE.jfr [thread-name-prefix] [rows]}; the default thread is the
 * flow abstractor's ({@code flow abstractor}).
 */
public final class JfrHotMethods {
    private JfrHotMethods() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrHotMethods FILE.jfr [thread-name-prefix] [rows]");
            System.exit(2);
        }
        String thread = args.length > 1 ? args[1] : "flow abstractor";
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int[] samples = new int[2];
        try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                boolean java = type.equals("jdk.ExecutionSample");
                if (!java && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                RecordedThread t = e.getThread("sampledThread");
                if (t == null || t.getJavaName() == null || !t.getJavaName().startsWith(thread)) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null) {
                    continue;
                }
                samples[java ? 0 : 1]++;
                List<RecordedFrame> frames = stack.getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                self.merge(name(frames.get(0)) + (java ? "" : " [native]"), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) {
                        total.merge(n, 1, Integer::sum);
                    }
                }
            }
        }
        int all = samples[0] + samples[1];
        System.out.printf("thread '%s': %d Java samples, %d native samples%n", thread, samples[0], samples[1]);
        print("self", self, all, rows);
        print("total", total, all, rows);
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int all, int rows) {
        System.out.println("-- " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(rows)
                .forEach(c -> System.out.printf("%6.1f%%  %s%n", 100.0 * c.getValue() / Math.max(1, all), c.getKey()));
    }
}
