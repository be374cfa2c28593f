package io.sftap.job.defrag;

import java.util.Arrays;

/**
 * The bytes of one datagram under reassembly, with the ranges already held tracked as sorted
 * intervals (the same idea as smoltcp's {@code Assembler}, holes being the gaps between them).
 *
 * <p>Overlaps are resolved first copy wins: bytes already held are never overwritten, a later
 * fragment only fills holes. The total length becomes known with the last fragment (MF=0); a
 * fragment that contradicts it is refused and changes nothing. Limits and RFC checks are the
 * {@link Defragmenter}'s job; this class only keeps its own invariants.
 */
public final class FragmentBuffer {
    /** Value of {@link #totalLength()} and {@link #upperProtocol()} while not yet known. */
    public static final int UNKNOWN = -1;

    private static final int INITIAL_RANGES = 4;

    /** Datagram bytes; only the held ranges below are meaningful, the rest is zero-filled. */
    private byte[] data = new byte[0];

    /*
     * Invariant on the held ranges [starts[i], ends[i]), 0 <= i < rangeCount:
     *   0 <= starts[0];  starts[i] < ends[i] (no empty range);
     *   ends[i] < starts[i + 1] (sorted, disjoint, and never touching: touching ranges are merged);
     *   ends[rangeCount - 1] <= data.length, and <= totalLength once that is known.
     * So the datagram is complete exactly when one range [0, totalLength) remains (or the total
     * length is 0).
     */
    private int[] starts = new int[INITIAL_RANGES];
    private int[] ends = new int[INITIAL_RANGES];
    private int rangeCount;

    /** Length of the reassembled datagram from the last fragment, or {@link #UNKNOWN}. */
    private int totalLength = UNKNOWN;
    /** Fragments taken (duplicates and empty ones included); 0 means the buffer is empty. */
    private int fragmentCount;
    /** Capture time of the first fragment taken; meaningful only when not empty. */
    private long firstTimestampNanos;
    /** Upper-layer protocol from the fragment at offset 0 (RFC 8200 section 4.5), or UNKNOWN. */
    private int upperProtocol = UNKNOWN;

    public FragmentBuffer() {}

    /** Forgets everything: the buffer is empty again. */
    public void reset() {
        data = new byte[0];
        starts = new int[INITIAL_RANGES];
        ends = new int[INITIAL_RANGES];
        rangeCount = 0;
        totalLength = UNKNOWN;
        fragmentCount = 0;
        firstTimestampNanos = 0;
        upperProtocol = UNKNOWN;
    }

    /** True when no fragment has been taken since creation or the last {@link #reset()}. */
    public boolean isEmpty() {
        return fragmentCount == 0;
    }

    /**
     * Takes the fragment {@code bytes} at {@code offset}; {@code last} is true for the fragment
     * with MF=0. Only holes are filled (first copy wins).
     *
     * @return false, changing nothing, when the fragment contradicts the known total length: a
     *     second last fragment ending elsewhere, a last fragment ending before bytes already held,
     *     or any fragment ending after the known end
     */
    public boolean add(int offset, byte[] bytes, boolean last) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative fragment offset " + offset);
        }
        int end = offset + bytes.length;
        if (last) {
            if (totalLength != UNKNOWN && end != totalLength) {
                return false;
            }
            if (rangeCount > 0 && ends[rangeCount - 1] > end) {
                return false;
            }
        } else if (totalLength != UNKNOWN && end > totalLength) {
            return false;
        }
        if (last && totalLength == UNKNOWN) {
            totalLength = end;
        }
        fill(offset, bytes, 0, bytes.length);
        fragmentCount++;
        return true;
    }

    /**
     * Copies {@code src[srcOff, srcOff + len)} into the holes of {@code [offset, offset + len)},
     * then merges the ranges it touched into one.
     */
    private void fill(int offset, byte[] src, int srcOff, int len) {
        if (len == 0) {
            return;
        }
        int start = offset;
        int end = offset + len;
        ensureCapacity(end);
        // Ranges first..last-1 overlap or touch [start, end); they merge into one.
        int first = 0;
        while (first < rangeCount && ends[first] < start) {
            first++;
        }
        int last = first;
        while (last < rangeCount && starts[last] <= end) {
            last++;
        }
        int pos = start;
        for (int i = first; i < last; i++) {
            if (starts[i] > pos) {
                System.arraycopy(src, srcOff + pos - start, data, pos, starts[i] - pos);
            }
            pos = Math.max(pos, ends[i]);
        }
        if (pos < end) {
            System.arraycopy(src, srcOff + pos - start, data, pos, end - pos);
        }
        int mergedStart = first < last ? Math.min(start, starts[first]) : start;
        int mergedEnd = first < last ? Math.max(end, ends[last - 1]) : end;
        replaceRanges(first, last, mergedStart, mergedEnd);
    }

    /** Replaces ranges [first, last) by the single range [start, end). */
    private void replaceRanges(int first, int last, int start, int end) {
        int removed = last - first;
        if (removed == 0) {
            if (rangeCount == starts.length) {
                starts = Arrays.copyOf(starts, rangeCount * 2);
                ends = Arrays.copyOf(ends, rangeCount * 2);
            }
            System.arraycopy(starts, first, starts, first + 1, rangeCount - first);
            System.arraycopy(ends, first, ends, first + 1, rangeCount - first);
            rangeCount++;
        } else if (removed > 1) {
            System.arraycopy(starts, last, starts, first + 1, rangeCount - last);
            System.arraycopy(ends, last, ends, first + 1, rangeCount - last);
            rangeCount -= removed - 1;
        }
        starts[first] = start;
        ends[first] = end;
    }

    private void ensureCapacity(int end) {
        if (end <= data.length) {
            return;
        }
        int capacity = totalLength != UNKNOWN ? totalLength : Math.max(end, data.length * 2);
        data = Arrays.copyOf(data, Math.max(capacity, end));
    }

    /** True when the total length is known and every byte up to it is held. */
    public boolean isComplete() {
        if (totalLength == UNKNOWN) {
            return false;
        }
        return totalLength == 0
                || (rangeCount == 1 && starts[0] == 0 && ends[0] == totalLength);
    }

    /** The reassembled datagram. */
    public byte[] assemble() {
        if (!isComplete()) {
            throw new IllegalStateException("datagram not complete: " + this);
        }
        return Arrays.copyOf(data, totalLength);
    }

    /** Marks when the first fragment was captured (the timeout counts from it). */
    public void setFirstTimestampNanos(long firstTimestampNanos) {
        this.firstTimestampNanos = firstTimestampNanos;
    }

    public long firstTimestampNanos() {
        return firstTimestampNanos;
    }

    /** Records the upper-layer protocol named by the fragment at offset 0. */
    public void setUpperProtocol(int upperProtocol) {
        this.upperProtocol = upperProtocol;
    }

    /** The upper-layer protocol of the fragment at offset 0, or {@link #UNKNOWN}. */
    public int upperProtocol() {
        return upperProtocol;
    }

    /** Length of the whole datagram, or {@link #UNKNOWN} until the last fragment arrived. */
    public int totalLength() {
        return totalLength;
    }

    public int fragmentCount() {
        return fragmentCount;
    }

    /** Number of disjoint held ranges. */
    public int rangeCount() {
        return rangeCount;
    }

    public int rangeStart(int i) {
        return starts[checkRange(i)];
    }

    public int rangeEnd(int i) {
        return ends[checkRange(i)];
    }

    /** A copy of the bytes of held range {@code i}. */
    public byte[] rangeBytes(int i) {
        checkRange(i);
        return Arrays.copyOfRange(data, starts[i], ends[i]);
    }

    /** Bytes held in total. */
    public int heldBytes() {
        int n = 0;
        for (int i = 0; i < rangeCount; i++) {
            n += ends[i] - starts[i];
        }
        return n;
    }

    private int checkRange(int i) {
        if (i < 0 || i >= rangeCount) {
            throw new IndexOutOfBoundsException("range " + i + " of " + rangeCount);
        }
        return i;
    }

    /** Rebuilds a buffer from stored fields; used by {@link FragmentBufferCodec}. */
    static FragmentBuffer restore(
            long firstTimestampNanos, int totalLength, int fragmentCount, int upperProtocol) {
        if (totalLength < UNKNOWN || fragmentCount < 0 || upperProtocol < UNKNOWN) {
            throw new IllegalArgumentException(
                    "bad buffer fields: totalLength="
                            + totalLength
                            + " fragmentCount="
                            + fragmentCount
                            + " upperProtocol="
                            + upperProtocol);
        }
        FragmentBuffer b = new FragmentBuffer();
        b.firstTimestampNanos = firstTimestampNanos;
        b.totalLength = totalLength;
        b.fragmentCount = fragmentCount;
        b.upperProtocol = upperProtocol;
        if (totalLength > 0) {
            b.data = new byte[totalLength];
        }
        return b;
    }

    /** Appends a stored range; ranges must come in order and keep the invariant. */
    void restoreRange(int start, byte[] bytes) {
        int end = start + bytes.length;
        boolean ordered = rangeCount == 0 ? start >= 0 : start > ends[rangeCount - 1];
        if (bytes.length == 0 || !ordered || (totalLength != UNKNOWN && end > totalLength)) {
            throw new IllegalArgumentException(
                    "range [" + start + ", " + end + ") breaks the invariant of " + this);
        }
        fill(start, bytes, 0, bytes.length);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FragmentBuffer{total=");
        sb.append(totalLength == UNKNOWN ? "?" : Integer.toString(totalLength));
        sb.append(", fragments=").append(fragmentCount).append(", held=");
        for (int i = 0; i < rangeCount; i++) {
            sb.append('[').append(starts[i]).append(',').append(ends[i]).append(')');
        }
        return sb.append('}').toString();
    }
}
