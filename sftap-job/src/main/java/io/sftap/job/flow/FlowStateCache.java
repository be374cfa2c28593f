package io.sftap.job.flow;

import io.sftap.source.wire.FlowKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded states of the most recently used flows of one operator instance, in front of keyed
 * state: a packet of a cached flow skips the state backend's read (a RocksDB JNI get) and the
 * codec's decode.
 *
 * <p>Write-through: the operator still writes every change to keyed state, so checkpoints,
 * savepoints and rescaling never depend on this cache, and an evicted entry needs no flush. It is
 * correct because an operator instance is the only writer of its keys, and a restored instance
 * starts with an empty cache. States whose encoded form is larger than {@link #MAX_CACHED_BYTES}
 * (long out-of-order queues, big unclassified buffers) are not kept, which bounds the heap to
 * about {@code capacity * MAX_CACHED_BYTES}.
 */
public final class FlowStateCache {
    /** Largest encoded state kept decoded; larger ones are read from keyed state each time. */
    public static final int MAX_CACHED_BYTES = 4096;

    /** Default number of flows kept (about 10-40 MB of heap for short sessions). */
    public static final int DEFAULT_CAPACITY = 16_384;

    private final Map<FlowKey, FlowState> flows;
    private long hits;
    private long misses;

    public FlowStateCache(int capacity) {
        this.flows = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<FlowKey, FlowState> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached state of {@code key}, or null when it is not cached (keyed state decides). */
    public FlowState get(FlowKey key) {
        FlowState s = flows.get(key);
        if (s == null) {
            misses++;
        } else {
            hits++;
        }
        return s;
    }

    /** Records the state just written to keyed state as {@code encodedBytes} bytes. */
    public void put(FlowKey key, FlowState state, int encodedBytes) {
        if (encodedBytes <= MAX_CACHED_BYTES) {
            flows.put(key, state);
        } else {
            flows.remove(key);
        }
    }

    /** The flow's keyed state was cleared. */
    public void remove(FlowKey key) {
        flows.remove(key);
    }

    public int size() {
        return flows.size();
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
