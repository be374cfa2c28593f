package io.sftap.job.reassembly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Out-of-order bytes of one TCP direction, waiting for the hole before them to fill.
 *
 * <p>Overlaps are resolved when bytes arrive: the FIRST copy of every byte wins, so a new segment
 * only adds the parts no queued segment covers yet.
 */
final class SegmentQueue {
    /*
     * Invariant on segments: sorted by start; no two overlap (one's end <= the next one's start);
     * no segment is empty; null when empty, so an idle direction holds no list at all.
     */
    private List<QueuedSegment> segments;

    /** Sum of the lengths of all segments. */
    private int bytes;

    boolean isEmpty() {
        return segments == null;
    }

    int segmentCount() {
        return segments == null ? 0 : segments.size();
    }

    int bytes() {
        return bytes;
    }

    /** The first queued segment; the queue must not be empty. */
    QueuedSegment first() {
        return segments.get(0);
    }

    QueuedSegment removeFirst() {
        QueuedSegment s = segments.remove(0);
        bytes -= s.data().length;
        if (segments.isEmpty()) {
            segments = null;
        }
        return s;
    }

    /** Segments in order (read-only view, for the codec). */
    List<QueuedSegment> segments() {
        return segments == null ? List.of() : segments;
    }

    /**
     * Queues {@code src[off, off+len)} sent at {@code start}, except the bytes already queued
     * (first copy wins). Bytes are copied; {@code src} is not kept.
     */
    void insert(Sequence start, byte[] src, int off, int len) {
        if (len <= 0) {
            return;
        }
        if (segments == null) {
            segments = new ArrayList<>(4);
        }
        Sequence end = start.add(len);
        Sequence cursor = start;
        int i = 0;
        while (i < segments.size() && !segments.get(i).end().isAfter(cursor)) {
            i++;
        }
        while (cursor.isBefore(end)) {
            if (i == segments.size() || !segments.get(i).start().isBefore(end)) {
                add(i, cursor, end, start, src, off);
                break;
            }
            QueuedSegment queued = segments.get(i);
            if (cursor.isBefore(queued.start())) {
                add(i, cursor, queued.start(), start, src, off);
                i++;
            }
            cursor = Sequence.later(cursor, queued.end());
            i++;
        }
    }

    /**
     * Adds the piece {@code [from, to)} of a segment whose byte {@code src[off]} is at {@code
     * start}.
     */
    private void add(int index, Sequence from, Sequence to, Sequence start, byte[] src, int off) {
        int begin = off + from.difference(start);
        byte[] piece = Arrays.copyOfRange(src, begin, begin + to.difference(from));
        segments.add(index, new QueuedSegment(from, piece));
        bytes += piece.length;
    }

    /** Appends a segment known to lie after all queued ones (codec use). */
    void append(QueuedSegment segment) {
        if (segments == null) {
            segments = new ArrayList<>(4);
        }
        segments.add(segment);
        bytes += segment.data().length;
    }

    /** Drops every byte at or after {@code limit}. */
    void truncateAt(Sequence limit) {
        while (segments != null) {
            QueuedSegment last = segments.get(segments.size() - 1);
            if (!last.end().isAfter(limit)) {
                return;
            }
            segments.remove(segments.size() - 1);
            bytes -= last.data().length;
            int keep = limit.difference(last.start());
            if (keep > 0) {
                segments.add(new QueuedSegment(last.start(), Arrays.copyOf(last.data(), keep)));
                bytes += keep;
            }
            if (segments.isEmpty()) {
                segments = null;
            }
        }
    }

    void clear() {
        segments = null;
        bytes = 0;
    }
}
