package io.sftap.job.reassembly;

import static io.sftap.job.reassembly.SegmentScript.c;
import static io.sftap.job.reassembly.SegmentScript.s;
import static io.sftap.source.wire.Direction.FROM_ENDPOINT1;
import static io.sftap.source.wire.Direction.FROM_ENDPOINT2;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.reassembly.SegmentScript.Recorder;
import io.sftap.job.reassembly.SegmentScript.Seg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

class TcpReassemblerTest {

    /** Client ISN 1000 (data from 1001), server ISN 5000 (data from 5001). */
    private static final List<Seg> HANDSHAKE =
            List.of(c("S", 1000, 0, ""), s("SA", 5000, 1001, ""), c("A", 1001, 5001, ""));

    /** One table row: segments in, then (optionally) finish, and the bytes and status out. */
    record Case(
            String name,
            List<Seg> segments,
            boolean finish,
            ReassemblyLimits limits,
            String want1,
            String want2,
            TcpStatus wantStatus) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final class CaseBuilder {
        private final String name;
        private final List<Seg> segments = new ArrayList<>();
        private boolean finish;
        private ReassemblyLimits limits = ReassemblyLimits.defaults();

        CaseBuilder(String name, boolean handshake, Seg... segs) {
            this.name = name;
            if (handshake) {
                segments.addAll(HANDSHAKE);
            }
            segments.addAll(List.of(segs));
        }

        CaseBuilder thenFinish() {
            finish = true;
            return this;
        }

        CaseBuilder limits(int bytes, int segs) {
            limits = new ReassemblyLimits(bytes, segs);
            return this;
        }

        Case want(String from1, String from2, TcpStatus status) {
            return new Case(name, List.copyOf(segments), finish, limits, from1, from2, status);
        }
    }

    /** A case starting with the three-way handshake. */
    private static CaseBuilder after3wh(String name, Seg... segs) {
        return new CaseBuilder(name, true, segs);
    }

    /** A case with exactly the given segments. */
    private static CaseBuilder given(String name, Seg... segs) {
        return new CaseBuilder(name, false, segs);
    }

    static Stream<Case> cases() {
        long w = 0xFFFFFFFDL; // ISN three bytes below 2^32
        return Stream.of(
                after3wh(
                                "deliversInOrderBytes",
                                c("PA", 1001, 5001, "GET "),
                                c("PA", 1005, 5001, "/x"),
                                s("PA", 5001, 1007, "HTTP"))
                        .want("GET /x", "HTTP", TcpStatus.OPEN),
                after3wh(
                                "reordersQueuedSegment",
                                c("PA", 1005, 5001, "/x"),
                                c("PA", 1001, 5001, "GET "))
                        .want("GET /x", "", TcpStatus.OPEN),
                after3wh(
                                "dropsRetransmission",
                                c("PA", 1001, 5001, "GET "),
                                c("PA", 1001, 5001, "GET "),
                                c("PA", 1005, 5001, "/"))
                        .want("GET /", "", TcpStatus.OPEN),
                after3wh(
                                "keepsFirstCopyOnExactOverlap",
                                c("PA", 1001, 5001, "GOOD"),
                                c("PA", 1001, 5001, "EVIL"),
                                s("A", 5001, 1005, ""))
                        .want("GOOD", "", TcpStatus.OPEN),
                after3wh(
                                "deliversOnlyNewPartOfPartialOverlap",
                                c("PA", 1001, 5001, "GOOD"),
                                c("PA", 1002, 5001, "XXXY"))
                        .want("GOODY", "", TcpStatus.OPEN),
                after3wh(
                                "keepsFirstQueuedCopy",
                                c("PA", 1005, 5001, "ABCD"),
                                c("PA", 1005, 5001, "WXYZ"),
                                c("PA", 1001, 5001, "0123"))
                        .want("0123ABCD", "", TcpStatus.OPEN),
                after3wh(
                                "keepsQueuedBytesInsideLaterInOrderSegment",
                                c("PA", 1003, 5001, "CD"),
                                c("PA", 1001, 5001, "abcdef"))
                        .want("abCDef", "", TcpStatus.OPEN),
                after3wh(
                                "keepsQueuedBytesOverlappedAtBothEnds",
                                c("PA", 1005, 5001, "EFGH"),
                                c("PA", 1003, 5001, "cdefghij"),
                                c("PA", 1001, 5001, "ab"))
                        .want("abcdEFGHij", "", TcpStatus.OPEN),
                after3wh(
                                "segmentCoveringSeveralQueuedOnesFillsOnlyHoles",
                                c("PA", 1003, 5001, "C"),
                                c("PA", 1005, 5001, "E"),
                                c("PA", 1007, 5001, "G"),
                                c("PA", 1001, 5001, "abcdefgh"))
                        .want("abCdEfGh", "", TcpStatus.OPEN),
                given(
                                "deliversBytesInOrderAcrossWrapAround",
                                c("S", w, 0, ""),
                                s("SA", 5000, w + 1, ""),
                                c("PA", 0, 5001, "cd"),
                                c("PA", 0xFFFFFFFEL, 5001, "ab"),
                                c("FPA", 2, 5001, "ef"),
                                s("FA", 5001, 5, ""))
                        .want("abcdef", "", TcpStatus.CLOSED),
                after3wh(
                                "skipsAcknowledgedHoleAndReportsGap",
                                c("PA", 1001, 5001, "VERY"),
                                c("PA", 1009, 5001, "DATA"),
                                s("A", 5001, 1013, ""))
                        .want("VERY[gap 4]DATA", "", TcpStatus.OPEN),
                after3wh(
                                "skipsAcknowledgedLeadingHole",
                                c("PA", 1005, 5001, "GOOD"),
                                c("PA", 1009, 5001, "DATA"),
                                s("A", 5001, 1013, ""))
                        .want("[gap 4]GOODDATA", "", TcpStatus.OPEN),
                after3wh(
                                "skipsHoleAcknowledgedBeforeDataAfterItArrives",
                                s("A", 5001, 1013, ""),
                                c("PA", 1005, 5001, "GOOD"),
                                c("PA", 1009, 5001, "DATA"))
                        .want("[gap 4]GOODDATA", "", TcpStatus.OPEN),
                after3wh(
                                "skipsSeveralAcknowledgedHoles",
                                c("PA", 1003, 5001, "cd"),
                                c("PA", 1007, 5001, "gh"),
                                s("A", 5001, 1009, ""))
                        .want("[gap 2]cd[gap 2]gh", "", TcpStatus.OPEN),
                after3wh(
                                "keepsHoleWhenAckStopsAtQueuedData",
                                c("PA", 1001, 5001, "VERY"),
                                c("PA", 1009, 5001, "DATA"),
                                s("A", 5001, 1009, ""))
                        .thenFinish()
                        .want("VERY", "", TcpStatus.OPEN),
                after3wh(
                                "finishDropsBytesPastUnacknowledgedHole",
                                c("PA", 1001, 5001, "VERY"),
                                c("PA", 1009, 5001, "DATA"))
                        .thenFinish()
                        .want("VERY", "", TcpStatus.OPEN),
                after3wh(
                                "deliversInOrderRstPayloadAndEndsAtUnackedHole",
                                s("PA", 5001, 1001, "Please "),
                                s("PA", 5012, 1001, "Me "),
                                s("PA", 5015, 1001, "In!"),
                                c("RA", 1001, 5008, "Access Denied"))
                        .thenFinish()
                        .want("Access Denied", "Please ", TcpStatus.RESET),
                after3wh("dropsOutOfOrderRstPayload", c("RA", 1005, 5001, "late"))
                        .want("", "", TcpStatus.RESET),
                after3wh(
                                "ignoresSegmentsAfterRst",
                                c("RA", 1001, 5001, ""),
                                s("PA", 5001, 1001, "ignored"))
                        .want("", "", TcpStatus.RESET),
                after3wh(
                                "closesOnceOnDuplicateFin",
                                c("PA", 1001, 5001, "hi"),
                                c("FA", 1003, 5001, ""),
                                c("FA", 1003, 5001, ""),
                                s("FA", 5001, 1004, ""),
                                c("A", 1004, 5002, ""))
                        .want("hi", "", TcpStatus.CLOSED),
                after3wh(
                                "queuesFinArrivingBeforeData",
                                c("FA", 1003, 5001, ""),
                                s("FA", 5001, 1001, ""),
                                c("PA", 1001, 5002, "hi"))
                        .want("hi", "", TcpStatus.CLOSED),
                after3wh(
                                "staysOpenWhileFinWaitsForData",
                                c("FA", 1003, 5001, ""),
                                s("FA", 5001, 1001, ""))
                        .want("", "", TcpStatus.OPEN),
                after3wh(
                                "ignoresDataAfterFin",
                                c("FPA", 1001, 5001, "hi"),
                                c("PA", 1003, 5001, "zz"),
                                c("PA", 1002, 5001, "iX"))
                        .want("hi", "", TcpStatus.OPEN),
                after3wh(
                                "closesAtFinAfterAcknowledgedTrailingHole",
                                c("PA", 1001, 5001, "ab"),
                                c("FA", 1010, 5001, ""),
                                s("FA", 5001, 1011, ""))
                        .want("ab", "", TcpStatus.CLOSED),
                given(
                                "followsHalfOpenConnection",
                                c("S", 1000, 0, ""),
                                c("PA", 1001, 0, "abc"),
                                c("PA", 1004, 0, "def"))
                        .want("abcdef", "", TcpStatus.OPEN),
                given(
                                "deliversDataCarriedOnSyn",
                                c("S", 1000, 0, "TFO!"),
                                s("SA", 5000, 1005, ""),
                                c("S", 1000, 0, "TFO!"),
                                c("PA", 1005, 5001, "more"))
                        .want("TFO!more", "", TcpStatus.OPEN),
                given(
                                "ignoresSynRetransmissions",
                                c("S", 1000, 0, ""),
                                c("S", 1000, 0, ""),
                                s("SA", 5000, 1001, ""),
                                s("SA", 5000, 1001, ""),
                                c("PA", 1001, 5001, "x"))
                        .want("x", "", TcpStatus.OPEN),
                given(
                                "picksUpStreamWithoutSyn",
                                c("PA", 7000, 9000, "abc"),
                                s("PA", 9000, 7003, "xyz"),
                                c("PA", 7003, 9003, "d"))
                        .want("abcd", "xyz", TcpStatus.OPEN),
                given(
                                "picksUpAtFirstSegmentEvenWithoutPayload",
                                c("A", 7000, 9000, ""),
                                c("PA", 7003, 9000, "def"),
                                c("PA", 7000, 9000, "abc"))
                        .want("abcdef", "", TcpStatus.OPEN),
                given(
                                "restartsDirectionOnNewSynWhenNothingWasSent",
                                c("A", 123, 456, ""),
                                c("S", 1000, 0, ""),
                                c("PA", 1001, 0, "new"))
                        .want("new", "", TcpStatus.OPEN),
                after3wh(
                                "compromisesWhenQueuedBytesExceedLimit",
                                c("PA", 1005, 5001, "12345"),
                                c("PA", 1020, 5001, "12345"))
                        .limits(8, 100)
                        .want("", "", TcpStatus.COMPROMISED),
                after3wh(
                                "compromisesWhenQueuedSegmentsExceedLimit",
                                c("PA", 1003, 5001, "a"),
                                c("PA", 1005, 5001, "b"),
                                c("PA", 1007, 5001, "c"),
                                c("PA", 1001, 5001, "xx"))
                        .limits(1000, 2)
                        .want("", "", TcpStatus.COMPROMISED),
                after3wh(
                                "skipsBytesTheCaptureTruncatedAsGap",
                                c("PA", 1001, 5001, "ab").onWire(5),
                                c("PA", 1006, 5001, "fg"))
                        .want("ab[gap 3]fg", "", TcpStatus.OPEN),
                after3wh(
                                "keepsQueuedBytesInsideTruncatedTail",
                                c("PA", 1004, 5001, "d"),
                                c("PA", 1001, 5001, "ab").onWire(5),
                                c("PA", 1006, 5001, "f"))
                        .want("ab[gap 1]d[gap 1]f", "", TcpStatus.OPEN),
                after3wh(
                                "doesNotAdvanceOnTruncatedSegmentWithoutNewCapturedBytes",
                                c("PA", 1001, 5001, "ab"),
                                c("PA", 1001, 5001, "ab").onWire(5),
                                c("PA", 1006, 5001, "fg"))
                        .thenFinish()
                        .want("ab", "", TcpStatus.OPEN),
                after3wh(
                                "placesFinAfterTruncatedPayload",
                                c("FPA", 1001, 5001, "ab").onWire(4),
                                s("FA", 5001, 1006, ""))
                        .want("ab[gap 2]", "", TcpStatus.CLOSED),
                after3wh(
                                "signalsPortReuseAfterClose",
                                c("FA", 1001, 5001, ""),
                                s("FA", 5001, 1002, ""),
                                c("S", 2000, 0, ""))
                        .want("", "", TcpStatus.REUSED),
                after3wh(
                                "signalsPortReuseAfterData",
                                c("PA", 1001, 5001, "old"),
                                c("S", 2000, 0, ""))
                        .want("old", "", TcpStatus.REUSED),
                given(
                                "signalsPortReuseOnMidStreamConnection",
                                c("PA", 7000, 9000, "old"),
                                c("S", 2000, 0, ""))
                        .want("old", "", TcpStatus.REUSED),
                after3wh(
                                "treatsSynWithKnownIsnAfterCloseAsRetransmission",
                                c("FA", 1001, 5001, ""),
                                s("FA", 5001, 1002, ""),
                                c("S", 1000, 0, ""))
                        .want("", "", TcpStatus.CLOSED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reassemblesLikeTshark(Case tc) {
        TcpReassembler reassembler = new TcpReassembler(tc.limits());
        TcpConnection conn = new TcpConnection();
        Recorder out = new Recorder();

        TcpStatus status = SegmentScript.feed(reassembler, conn, tc.segments(), out);
        if (tc.finish()) {
            reassembler.finish(conn, 99, out);
        }

        assertThat(out.of(FROM_ENDPOINT1)).as("bytes from endpoint 1").isEqualTo(tc.want1());
        assertThat(out.of(FROM_ENDPOINT2)).as("bytes from endpoint 2").isEqualTo(tc.want2());
        assertThat(status).isEqualTo(tc.wantStatus());
        if (tc.finish() || status != TcpStatus.OPEN) {
            assertThat(conn.queuedBytes()).as("queued bytes after the end").isZero();
        }
    }

    @Test
    void reusedSynIsNotConsumed() {
        TcpReassembler reassembler = new TcpReassembler(ReassemblyLimits.defaults());
        TcpConnection old = new TcpConnection();
        Recorder out = new Recorder();
        SegmentScript.feed(reassembler, old, HANDSHAKE, out);
        SegmentScript.feed(reassembler, old, List.of(c("PA", 1001, 5001, "old")), out);

        Seg newSyn = c("S", 3000, 0, "");
        assertThat(SegmentScript.feed(reassembler, old, List.of(newSyn), out))
                .isEqualTo(TcpStatus.REUSED);
        assertThat(old.sawSyn(FROM_ENDPOINT1)).isTrue();

        TcpConnection fresh = new TcpConnection();
        TcpStatus status =
                SegmentScript.feed(
                        reassembler,
                        fresh,
                        List.of(newSyn, s("SA", 8000, 3001, ""), c("PA", 3001, 8001, "new")),
                        out);
        assertThat(status).isEqualTo(TcpStatus.OPEN);
        assertThat(out.of(FROM_ENDPOINT1)).isEqualTo("oldnew");
    }

    @Test
    void reportsQueuedBytesAndSynPerDirection() {
        TcpReassembler reassembler = new TcpReassembler(ReassemblyLimits.defaults());
        TcpConnection conn = new TcpConnection();
        Recorder out = new Recorder();
        SegmentScript.feed(
                reassembler,
                conn,
                List.of(c("S", 1000, 0, ""), c("PA", 1005, 0, "abc"), s("PA", 9000, 0, "xy")),
                out);

        assertThat(conn.queuedBytes(FROM_ENDPOINT1)).isEqualTo(3);
        assertThat(conn.queuedSegments(FROM_ENDPOINT1)).isEqualTo(1);
        assertThat(conn.queuedBytes()).isEqualTo(3);
        assertThat(conn.sawSyn(FROM_ENDPOINT1)).isTrue();
        assertThat(conn.sawSyn(FROM_ENDPOINT2)).isFalse();
        assertThat(out.of(FROM_ENDPOINT2)).isEqualTo("xy");
    }

    @Test
    void deliversPeerBytesUnlockedByAckBeforeOwnBytes() {
        TcpReassembler reassembler = new TcpReassembler(ReassemblyLimits.defaults());
        TcpConnection conn = new TcpConnection();
        List<String> calls = new ArrayList<>();
        StreamListener l =
                new StreamListener() {
                    @Override
                    public void onData(io.sftap.source.wire.Direction from, byte[] b, long ts) {
                        calls.add(from.text + ":" + new String(b) + "@" + ts);
                    }

                    @Override
                    public void onGap(io.sftap.source.wire.Direction from, long length) {
                        calls.add(from.text + ":gap" + length);
                    }
                };
        SegmentScript.feed(reassembler, conn, HANDSHAKE, l);
        reassembler.accept(
                conn,
                FROM_ENDPOINT1,
                1005,
                5001,
                SegmentScript.flags("PA"),
                "late".getBytes(),
                10,
                l);
        reassembler.accept(
                conn,
                FROM_ENDPOINT2,
                5001,
                1009,
                SegmentScript.flags("PA"),
                "resp".getBytes(),
                11,
                l);

        assertThat(calls).containsExactly("1:gap4", "1:late@11", "2:resp@11");
    }

    @Test
    void coalescesBytesMadeContiguousBySegmentIntoOneCall() {
        TcpReassembler reassembler = new TcpReassembler(ReassemblyLimits.defaults());
        TcpConnection conn = new TcpConnection();
        Recorder out = new Recorder();
        SegmentScript.feed(reassembler, conn, HANDSHAKE, out);
        SegmentScript.feed(
                reassembler,
                conn,
                List.of(
                        c("PA", 1003, 5001, "cd"),
                        c("PA", 1005, 5001, "ef"),
                        c("PA", 1001, 5001, "ab")),
                out);

        assertThat(out.of(FROM_ENDPOINT1)).isEqualTo("abcdef");
        assertThat(out.dataCalls).isEqualTo(1);
    }
}
