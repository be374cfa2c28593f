package io.sftap.job.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Compares a capture's reassembled TCP directions with tshark's "Follow TCP stream" truth. */
public final class ReassemblyCheck {
    /** One direction that differs from the truth. */
    public static final class Mismatch {
        public final String direction;
        public final int expectedLength;
        public final int actualLength;
        public final int firstDifference;
        public final int truthGaps;

        Mismatch(String direction, int expectedLength, int actualLength, int firstDifference, int truthGaps) {
            this.direction = direction;
            this.expectedLength = expectedLength;
            this.actualLength = actualLength;
            this.firstDifference = firstDifference;
            this.truthGaps = truthGaps;
        }

        @Override
        public String toString() {
            return direction + ": tshark " + expectedLength + " bytes, sftap " + actualLength
                    + " bytes, first difference at " + firstDifference
                    + (truthGaps > 0 ? " (tshark saw " + truthGaps + " hole(s))" : "");
        }
    }

    /** Result for one capture. */
    public static final class Result {
        public int total;
        public int exact;
        public final List<Mismatch> mismatches = new ArrayList<>();
    }

    private ReassemblyCheck() {}

    /** Compares every direction listed in {@code truthDir/index.tsv}. */
    public static Result check(Path truthDir, Map<String, byte[]> ours) throws IOException {
        Result r = new Result();
        List<String> lines = Files.readAllLines(truthDir.resolve("index.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t");
            if (c.length < 11) {
                continue;
            }
            for (String name : new String[] {c[9], c[10]}) {
                byte[] expected = Files.readAllBytes(truthDir.resolve(name));
                byte[] actual = ours.getOrDefault(name, new byte[0]);
                r.total++;
                if (Arrays.equals(expected, actual)) {
                    r.exact++;
                } else {
                    Path gaps = truthDir.resolve(name + ".gaps");
                    int holes = Files.exists(gaps) ? Files.readAllLines(gaps).size() : 0;
                    r.mismatches.add(new Mismatch(name, expected.length, actual.length,
                            Arrays.mismatch(expected, actual), holes));
                }
            }
        }
        return r;
    }
}
