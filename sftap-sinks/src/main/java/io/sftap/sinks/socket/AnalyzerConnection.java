package io.sftap.sinks.socket;

import io.sftap.sinks.wire.EncodedEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One analyzer connected to an interface socket: a non-blocking channel, a staging buffer that
 * gathers small events into one write, and a bounded queue of encoded events that did not fit
 * into the kernel's socket buffer yet.
 *
 * <p>The publishing thread offers events; when the queue is empty it stages them and writes the
 * stage when it is full or on {@link #flushStaged} (the publisher calls it within a millisecond or
 * so), so an analyzer that keeps up never waits for the selector and a busy socket costs one
 * system call per stage, not per event. The selector thread writes the queue when the socket
 * becomes writable, as one gathering write per wakeup.
 */
final class AnalyzerConnection {
    /** What became of an offered event. */
    enum Offer {
        ACCEPTED,
        OVERFLOW,
        FAILED
    }

    /** Buffers per gathering write (IOV_MAX is 1024 on Linux). */
    private static final int MAX_BATCH = 256;

    final String socket;
    final SocketChannel channel;
    private final int capacityBytes;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by the selector thread before the connection is visible to publishers. */
    private SelectionKey key;

    // Invariant (guarded by this): pending holds whole events in arrival order, except that the
    // head may be the unwritten rest of an event whose start is already in the stream; it is never
    // dropped, so no analyzer ever sees a partial event. pendingBytes is the sum of remaining()
    // over pending. An event is accepted only if pending is empty or pendingBytes plus its length
    // stays within capacityBytes, so the queue holds at most capacityBytes plus one event.
    // The stage holds whole events that follow everything in pending; it is empty whenever pending
    // is not (a partly written stage moves its rest into pending), so the selector thread, which
    // only writes pending, never touches it.
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    /** Null when staging is off: every event is written at once. */
    private final ByteBuffer stage;

    AnalyzerConnection(String socket, SocketChannel channel, int capacityBytes, int stageBytes) {
        this.socket = socket;
        this.channel = channel;
        this.capacityBytes = capacityBytes;
        this.stage = stageBytes > 0 ? ByteBuffer.allocateDirect(stageBytes) : null;
    }

    void attach(SelectionKey key) {
        this.key = key;
    }

    /** Stages, queues or writes one whole encoded event, or drops it if the queue is full. */
    synchronized Offer offer(EncodedEvent event) {
        if (closed.get()) {
            return Offer.FAILED;
        }
        int length = event.length();
        if (pending.isEmpty() && stage != null && length > stage.remaining()) {
            try {
                writeStage();
            } catch (IOException e) {
                return Offer.FAILED;
            }
        }
        if (!pending.isEmpty()) {
            if (pendingBytes + length > capacityBytes) {
                return Offer.OVERFLOW;
            }
            pending.addLast(event.toBuffer());
            pendingBytes += length;
            return Offer.ACCEPTED;
        }
        if (stage != null && length <= stage.remaining()) {
            event.writeTo(stage); // the body's only copy on this side of the kernel
            return Offer.ACCEPTED;
        }
        try {
            writeOrQueue(event.toBuffer());
        } catch (IOException e) {
            return Offer.FAILED;
        }
        return Offer.ACCEPTED;
    }

    /** Writes the staged events now (publishing thread). Returns false if the connection failed. */
    synchronized boolean flushStaged() {
        if (closed.get()) {
            return false;
        }
        try {
            writeStage();
        } catch (IOException e) {
            return false;
        }
        return true;
    }

    /** Writes the stage; what the socket does not take moves to the queue. Needs pending empty. */
    private void writeStage() throws IOException {
        if (stage == null || stage.position() == 0) {
            return;
        }
        stage.flip();
        try {
            channel.write(stage);
            if (stage.hasRemaining()) {
                ByteBuffer rest = ByteBuffer.allocate(stage.remaining());
                rest.put(stage).flip();
                queue(rest);
            }
        } finally {
            stage.clear();
        }
    }

    /** Writes {@code buffer}; what the socket does not take goes to the queue. Needs pending empty. */
    private void writeOrQueue(ByteBuffer buffer) throws IOException {
        channel.write(buffer);
        if (buffer.hasRemaining()) {
            queue(buffer);
        }
    }

    private void queue(ByteBuffer rest) {
        pending.addLast(rest);
        pendingBytes += rest.remaining();
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        key.selector().wakeup();
    }

    /**
     * Writes queued events until the queue is empty or the socket buffer is full (selector
     * thread). Returns false if the connection failed.
     */
    synchronized boolean writePending() {
        try {
            while (!pending.isEmpty()) {
                ByteBuffer[] batch = new ByteBuffer[Math.min(MAX_BATCH, pending.size())];
                Iterator<ByteBuffer> it = pending.iterator();
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = it.next();
                }
                pendingBytes -= channel.write(batch);
                while (!pending.isEmpty() && !pending.peekFirst().hasRemaining()) {
                    pending.removeFirst();
                }
                if (batch[batch.length - 1].hasRemaining()) {
                    break; // the kernel buffer is full; wait for the next OP_WRITE
                }
            }
        } catch (IOException e) {
            return false;
        }
        if (pending.isEmpty() && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ);
        }
        return true;
    }

    /** Bytes staged or queued, not yet taken by the socket. */
    synchronized long pendingBytes() {
        return pendingBytes + (stage == null ? 0 : stage.position());
    }

    /** Marks the connection closed; true for the first caller only. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /** Closes the channel and frees the queue (after {@link #markClosed}). */
    synchronized void release() {
        pending.clear();
        pendingBytes = 0;
        if (stage != null) {
            stage.clear();
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with a failed analyzer
        }
    }
}
