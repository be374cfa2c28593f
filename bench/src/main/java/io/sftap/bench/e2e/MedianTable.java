package io.sftap.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints the medians of repeated runs of a results file as a Markdown table: one row per (label,
 * state, parallelism, open sessions), the median of every figure, the run count and whether every
 * run was lossless.
 */
public final class MedianTable {
    private static final List<String> GROUP = List.of("label", "state", "p", "open_sessions", "packets");
    private static final List<String> FIGURES = List.of("pps", "pps_2nd_half", "pkts_per_cpu_s", "job_pkts_per_cpu_s", "cpu_s", "analyzer_cpu_s", "gbit_s", "gbit_2nd_half", "events_s", "rss_mb", "heap_live_mb",
            "state_disk_mb", "first_event_s", "wall_s");

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        Map<String, List<String[]>> groups = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank() || line.startsWith("date\t")) {
                continue;
            }
            String[] f = line.split("\t");
            StringBuilder key = new StringBuilder();
            for (String g : GROUP) {
                key.append(f[header.indexOf(g)]).append(" | ");
            }
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(f);
        }
        System.out.println("| " + String.join(" | ", GROUP) + " | " + String.join(" | ", FIGURES) + " | runs | lossless |");
        System.out.println("|" + "---|".repeat(GROUP.size() + FIGURES.size() + 2));
        for (Map.Entry<String, List<String[]>> e : groups.entrySet()) {
            StringBuilder row = new StringBuilder("| " + e.getKey());
            for (String fig : FIGURES) {
                int i = header.indexOf(fig);
                if (i < 0) {
                    row.append("- | ");
                    continue;
                }
                double[] v = e.getValue().stream().mapToDouble(f -> Double.parseDouble(f[i])).sorted().toArray();
                double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
                row.append(m == Math.rint(m) && Math.abs(m) >= 10 ? String.format("%.0f", m) : String.format("%.2f", m))
                        .append(" | ");
            }
            int lossless = header.indexOf("lossless");
            boolean all = e.getValue().stream().allMatch(f -> Boolean.parseBoolean(f[lossless]));
            row.append(e.getValue().size()).append(" | ").append(all ? "yes" : "NO").append(" |");
            System.out.println(row);
        }
    }
}
