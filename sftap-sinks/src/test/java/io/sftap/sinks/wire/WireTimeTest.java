package io.sftap.sinks.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The text time: C %.17g of sec + usec * 1e-6, and back. */
class WireTimeTest {

    /** Expected texts are glibc's printf("%.17g", sec + usec * 0.000001), as SF-TAP prints. */
    static Stream<Arguments> times() {
        return Stream.of(
                Arguments.of(1437142526L, 123456L, "1437142526.123456"),
                Arguments.of(1437142526L, 0L, "1437142526"),
                Arguments.of(1437142526L, 100000L, "1437142526.0999999"),
                Arguments.of(1437142526L, 1L, "1437142526.000001"),
                Arguments.of(1700000000L, 999999L, "1700000000.999999"),
                Arguments.of(4102444800L, 1L, "4102444800.000001"),
                Arguments.of(1L, 500000L, "1.5"),
                Arguments.of(0L, 0L, "0"));
    }

    @ParameterizedTest
    @MethodSource("times")
    void printsTimeAsSfTapDoes(long sec, long usec, String expected) {
        assertThat(WireTime.format(WireTime.nanos(sec, usec))).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("times")
    void parsesPrintedTimeBackToTheMicrosecond(long sec, long usec, String text) {
        assertThat(WireTime.parse(text)).isEqualTo(WireTime.nanos(sec, usec));
    }

    @ParameterizedTest
    @MethodSource("gValues")
    void formatsLikeCPercentG17(double v, String expected) {
        assertThat(WireTime.formatG17(v)).isEqualTo(expected);
    }

    static Stream<Arguments> gValues() {
        return Stream.of(
                Arguments.of(1e-5, "1.0000000000000001e-05"),
                Arguments.of(123456789012345678.0, "1.2345678901234568e+17"),
                Arguments.of(0.1, "0.10000000000000001"),
                Arguments.of(1e17, "1e+17"));
    }

    @ParameterizedTest
    @MethodSource("times")
    void truncatesNanosecondsToMicroseconds(long sec, long usec, String expected) {
        assertThat(WireTime.format(WireTime.nanos(sec, usec) + 999)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void integerFastPathPrintsWhatTheExactExpansionPrints() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(20261205);
        int fast = 0;
        for (int i = 0; i < 300_000; i++) {
            double v;
            switch (i % 4) {
                case 0: // capture times: seconds of any era, microseconds
                    v = (double) r.nextLong(0, 5_000_000_000L) + (double) r.nextLong(0, 1_000_000) * 0.000001;
                    break;
                case 1: // any double in [1, 2^53)
                    v = Double.longBitsToDouble(r.nextLong(Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(0x1p53)));
                    break;
                case 2: // halfway and carry cases: x.5 ulps, 9s that round up
                    v = Math.nextUp((double) r.nextLong(1, 1L << 53)) - 0.5;
                    break;
                default:
                    v = 9.9999999999999999 * Math.pow(10, r.nextInt(0, 16)) + r.nextInt(-2, 3) * Math.ulp(Math.pow(10, 15));
                    break;
            }
            String expected = WireTime.formatG17Exact(v);
            String got = WireTime.formatG17Fast(v);
            if (got != null) {
                fast++;
                assertThat(got).as("%%.17g of %s", Double.toString(v)).isEqualTo(expected);
            }
            assertThat(WireTime.formatG17(v)).isEqualTo(expected);
        }
        assertThat(fast).as("the fast path takes almost every value").isGreaterThan(290_000);
    }

    @org.junit.jupiter.api.Test
    void bytesParserGivesWhatTheDecimalParserGivesOrStepsAside() {
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of(
                "0", "1.5", "123.", "1.0000005", "1.0000015", "1.00000050001", "1.9999995", "1.99999949999",
                "9000000000", "9000000000.5", "9000000001", "12345678901", "1437142526.0999999",
                "-1.5", "1e5", "1.5 ", " 1.5", ".5", "1.2.3", "", "1,5"));
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20000; i++) {
            long sec = random.nextInt(2) == 0 ? random.nextInt(100) : 1_000_000_000L + random.nextInt(1_000_000_000);
            long usec = random.nextInt(1_000_000);
            texts.add(WireTime.format(WireTime.nanos(sec, usec)));
            StringBuilder frac = new StringBuilder();
            for (int d = random.nextInt(12); d > 0; d--) {
                frac.append(random.nextInt(10) < 3 ? (random.nextBoolean() ? '5' : '0') : (char) ('0' + random.nextInt(10)));
            }
            texts.add(sec + "." + frac);
        }
        int simple = 0;
        for (String t : texts) {
            byte[] b = t.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            long fast = WireTime.parseSimple(b, 0, b.length);
            if (fast == Long.MIN_VALUE) {
                continue;
            }
            simple++;
            assertThat(fast).as(t).isEqualTo(WireTime.parse(t));
        }
        assertThat(simple).as("texts the bytes parser took").isGreaterThan(40000);
        for (String t : java.util.List.of("-1.5", "1e5", " 1.5", ".5", "1.2.3", "", "12345678901")) {
            byte[] b = t.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(WireTime.parseSimple(b, 0, b.length)).as(t).isEqualTo(Long.MIN_VALUE);
        }
    }
}
