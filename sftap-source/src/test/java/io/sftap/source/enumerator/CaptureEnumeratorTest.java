package io.sftap.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.live.LiveCaptureOptions;
import io.sftap.source.split.CaptureSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

/** Tests of split hand-out, give-back and snapshots of CaptureEnumerator. */
class CaptureEnumeratorTest {
    private static final CaptureSplit A = CaptureSplit.file("file-0", Path.of("/a.pcap"));
    private static final CaptureSplit B = CaptureSplit.file("file-1", Path.of("/b.pcap"));
    private static final CaptureSplit C = CaptureSplit.file("file-2", Path.of("/c.pcap"));

    @Test
    void handsOneSplitPerRequestThenSignalsNoMoreSplits() throws Exception {
        try (MockSplitEnumeratorContext<CaptureSplit> context = contextWithReaders(2)) {
            CaptureEnumerator enumerator = new CaptureEnumerator(context, List.of(A, B, C));
            enumerator.start();
            enumerator.handleSplitRequest(0, "host");
            enumerator.handleSplitRequest(1, "host");
            enumerator.handleSplitRequest(0, "host");
            assertThat(assigned(context)).containsExactly("0:file-0", "1:file-1", "0:file-2");
            assertThat(context.hasNoMoreSplits(1)).isFalse();
            enumerator.handleSplitRequest(1, "host");
            assertThat(context.hasNoMoreSplits(1)).isTrue();
            assertThat(context.hasNoMoreSplits(0)).isFalse();
            assertThat(enumerator.snapshotState(1).pendingSplits()).isEmpty();
        }
    }

    @Test
    void handsSplitsGivenBackAfterAFailureOutFirst() throws Exception {
        try (MockSplitEnumeratorContext<CaptureSplit> context = contextWithReaders(2)) {
            CaptureEnumerator enumerator = new CaptureEnumerator(context, List.of(A, B, C));
            enumerator.handleSplitRequest(0, "host");
            CaptureSplit progressed = A.withStartingPosition(1000);
            enumerator.addSplitsBack(List.of(progressed), 0);
            assertThat(enumerator.snapshotState(7).pendingSplits()).containsExactly(progressed, B, C);
            enumerator.handleSplitRequest(1, "host");
            assertThat(context.getSplitsAssignmentSequence().get(1).assignment().get(1)).containsExactly(progressed);
        }
    }

    @Test
    void ignoresRequestsOfReadersThatAreGone() throws Exception {
        try (MockSplitEnumeratorContext<CaptureSplit> context = contextWithReaders(1)) {
            CaptureEnumerator enumerator = new CaptureEnumerator(context, List.of(A));
            enumerator.handleSplitRequest(5, "host");
            assertThat(context.getSplitsAssignmentSequence()).isEmpty();
            assertThat(enumerator.snapshotState(1).pendingSplits()).containsExactly(A);
        }
    }

    private static final CaptureSplit ETH1 = CaptureSplit.liveInterface("eth1", LiveCaptureOptions.defaults());
    private static final CaptureSplit ETH2 = CaptureSplit.liveInterface("eth2", LiveCaptureOptions.defaults());
    private static final CaptureSplit ETH3 = CaptureSplit.liveInterface("eth3", LiveCaptureOptions.defaults());

    @Test
    void pushesLiveSplitsToTheirOwnersAndStillHandsOutFiles() throws Exception {
        try (MockSplitEnumeratorContext<CaptureSplit> context = contextWithReaders(2)) {
            CaptureEnumerator enumerator = new CaptureEnumerator(context, List.of(A, ETH1, ETH2, ETH3));
            enumerator.addReader(0);
            enumerator.addReader(1);
            assertThat(assigned(context)).containsExactly("0:iface-eth1", "0:iface-eth3", "1:iface-eth2");
            enumerator.handleSplitRequest(1, "host");
            enumerator.handleSplitRequest(1, "host");
            assertThat(assigned(context)).endsWith("1:file-0");
            assertThat(context.hasNoMoreSplits(1)).isTrue();
            CaptureEnumState state = enumerator.snapshotState(3);
            assertThat(state.pendingSplits()).isEmpty();
            assertThat(state.assignedLiveSplitIds()).containsExactlyInAnyOrder("iface-eth1", "iface-eth2", "iface-eth3");
        }
    }

    @Test
    void keepsALiveSplitForItsOwnerUntilThatReaderRegisters() throws Exception {
        try (MockSplitEnumeratorContext<CaptureSplit> context = new MockSplitEnumeratorContext<>(2)) {
            context.registerReader(new ReaderInfo(0, "host"));
            CaptureEnumerator enumerator = new CaptureEnumerator(context, List.of(ETH1, ETH2));
            enumerator.addReader(0);
            enumerator.handleSplitRequest(0, "host");
            assertThat(assigned(context)).containsExactly("0:iface-eth1");
            assertThat(enumerator.snapshotState(1).pendingSplits()).containsExactly(ETH2);
            context.registerReader(new ReaderInfo(1, "host"));
            enumerator.addReader(1);
            assertThat(assigned(context)).containsExactly("0:iface-eth1", "1:iface-eth2");
        }
    }

    @Test
    void givesALiveSplitBackToTheSubtaskThatReturnedIt() throws Exception {
        try (MockSplitEnumeratorContext<CaptureSplit> context = contextWithReaders(2)) {
            CaptureEnumerator enumerator = new CaptureEnumerator(context, List.of(ETH1));
            enumerator.addReader(0);
            enumerator.addSplitsBack(List.of(ETH1), 1); // after a rescale subtask 1 held it
            assertThat(enumerator.snapshotState(2).assignedLiveSplitIds()).isEmpty();
            enumerator.addReader(0);
            enumerator.addReader(1);
            assertThat(assigned(context)).containsExactly("0:iface-eth1", "1:iface-eth1");
        }
    }

    private static MockSplitEnumeratorContext<CaptureSplit> contextWithReaders(int readers) {
        MockSplitEnumeratorContext<CaptureSplit> context = new MockSplitEnumeratorContext<>(readers);
        for (int i = 0; i < readers; i++) {
            context.registerReader(new ReaderInfo(i, "host"));
        }
        return context;
    }

    private static List<String> assigned(MockSplitEnumeratorContext<CaptureSplit> context) {
        List<String> out = new ArrayList<>();
        for (SplitsAssignment<CaptureSplit> a : context.getSplitsAssignmentSequence()) {
            a.assignment().forEach((subtask, splits) -> splits.forEach(s -> out.add(subtask + ":" + s.splitId())));
        }
        return out;
    }
}
