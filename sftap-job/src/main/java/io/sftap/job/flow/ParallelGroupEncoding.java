package io.sftap.job.flow;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Encodes a snapshot's key groups on helper threads while the calling thread writes them out in
 * group order. Helper {@code k} of {@code n} encodes groups {@code k, k + n, ...} into a few chunks
 * of its own, so each runs at most those chunks ahead of the writer and the output is byte for byte
 * what one thread writes. The flows must not change until {@link #writeTo} returns: it returns only
 * after every helper has stopped.
 */
final class ParallelGroupEncoding {
    /** Chunks per helper: one being filled, the rest queued or being written. */
    static final int CHUNKS_PER_ENCODER = 4;

    /** A filled chunk, or the failure that ended its helper. */
    private record Chunk(byte[] bytes, int length, int startsGroup, boolean endsGroup, Throwable failure) {
    }

    /** One helper's queues: chunks filled (in its groups' order) and chunks free to fill. */
    private static final class Lane implements CachedFlowsRawState.ChunkTarget {
        final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS_PER_ENCODER + 1);
        final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS_PER_ENCODER);

        Lane() {
            for (int i = 1; i < CHUNKS_PER_ENCODER; i++) { // the encoder makes the first itself
                free.add(new byte[CachedFlowsRawState.GroupEncoder.CHUNK_BYTES]);
            }
        }

        @Override
        public byte[] take(byte[] chunk, int length, int startsGroup, boolean endsGroup) throws IOException {
            try {
                filled.put(new Chunk(chunk, length, startsGroup, endsGroup, null));
                return free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("snapshot encoding cancelled");
            }
        }
    }

    private final EncodedStateCache.DirtyFlows flows;
    private final Lane[] lanes;
    private final Thread[] encoders;

    ParallelGroupEncoding(EncodedStateCache.DirtyFlows flows, int encoders) {
        this.flows = flows;
        this.lanes = new Lane[encoders];
        this.encoders = new Thread[encoders];
        for (int k = 0; k < encoders; k++) {
            Lane lane = lanes[k] = new Lane();
            int first = k;
            this.encoders[k] = new Thread(() -> encodeGroups(first, lane), "sftap snapshot encoder " + k);
            this.encoders[k].setDaemon(true);
        }
    }

    /**
     * Starts the helpers and writes every group to {@code out} in order, calling {@code starter}
     * before each with all earlier bytes in {@code out}; {@code out} is flushed, not closed.
     *
     * @return bytes written
     * @throws IOException from {@code out}, or a helper's failure
     */
    long writeTo(OutputStream out, CachedFlowsRawState.KeyGroupStarter starter) throws IOException {
        for (Thread t : encoders) {
            t.start();
        }
        CachedFlowsRawState.StreamTarget stream = new CachedFlowsRawState.StreamTarget(out, starter);
        long written = 0;
        try {
            for (int g = 0; g < flows.keyGroups(); g++) {
                written += writeGroup(lanes[g % lanes.length], stream);
            }
            out.flush();
            return written;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing a snapshot's cached flows");
        } finally {
            stopEncoders();
        }
    }

    /** Writes the next group's chunks from {@code lane} and hands them back to it; returns their bytes. */
    private static long writeGroup(Lane lane, CachedFlowsRawState.StreamTarget stream)
            throws IOException, InterruptedException {
        long written = 0;
        Chunk c;
        do {
            c = lane.filled.take();
            if (c.failure != null) {
                throw new IOException("encoding the cached flows of a snapshot failed", c.failure);
            }
            stream.take(c.bytes, c.length, c.startsGroup, c.endsGroup);
            written += c.length;
            lane.free.add(c.bytes);
        } while (!c.endsGroup);
        return written;
    }

    private void encodeGroups(int first, Lane lane) {
        try {
            CachedFlowsRawState.GroupEncoder encoder = new CachedFlowsRawState.GroupEncoder(flows, lane);
            for (int g = first; g < flows.keyGroups(); g += lanes.length) {
                encoder.encode(g);
            }
        } catch (InterruptedIOException e) {
            // the writer stopped: nobody reads this lane any more
        } catch (Throwable t) {
            lane.filled.offer(new Chunk(null, 0, -1, true, t)); // room: the writer returned a chunk for each taken
        }
    }

    /** Interrupts helpers that are still running (only after a failure) and waits for all to stop. */
    private void stopEncoders() {
        boolean interrupted = false;
        for (Thread t : encoders) {
            t.interrupt();
        }
        for (Thread t : encoders) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
