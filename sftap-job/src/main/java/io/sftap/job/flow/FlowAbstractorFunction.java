package io.sftap.job.flow;

import io.sftap.job.classify.RulesException;
import io.sftap.job.rules.CompiledRules;
import io.sftap.job.rules.RulesUpdate;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.IpProtocols;
import io.sftap.source.wire.Packet;
import java.io.OutputStream;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupsList;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow abstractor operator: keyed by {@link FlowKey}, with the rules as broadcast input.
 *
 * <p>Thin glue around {@link FlowProcessor}: loads the flow's state, calls the processor, stores
 * the state and keeps one idle-timeout timer per flow in keyed state; flows the caches hold get
 * theirs only when a watermark reaches their deadline or they go to keyed state. Recently used
 * flows stay decoded in a {@link FlowStateCache} while it would hit ({@link DecodedCacheGate};
 * otherwise a flow goes straight between the encoded cache and the processor); run by {@link
 * FlowAbstractorOperator} it writes their changes back on eviction and before each checkpoint
 * barrier, into an {@link EncodedStateCache} (flows kept encoded up to a heap budget) that writes
 * to keyed state only what it evicts or refuses, and whose changed flows each snapshot takes as
 * raw keyed state ({@link #snapshotCachedFlows}); run by Flink's own operator (tests) it writes
 * through. Rules: the ones in broadcast state (the
 * latest pushed, restored from checkpoints) win over the ones given at construction. A pushed rules
 * file that does not compile is logged and counted; the previous rules stay.
 */
public final class FlowAbstractorFunction extends KeyedBroadcastProcessFunction<FlowKey, Packet, RulesUpdate, FlowEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FlowAbstractorFunction.class);

    /** Broadcast state: the rules text in force, under {@link #RULES_TEXT} and {@link #RULES_VERSION}. */
    public static final MapStateDescriptor<String, String> RULES_STATE =
            new MapStateDescriptor<>("sftap-rules", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.STRING_TYPE_INFO);

    static final String RULES_TEXT = "text";
    static final String RULES_VERSION = "version";
    static final String RULES_SOURCE = "source";

    /** Keyed state: the flow's {@link FlowState} in {@link FlowStateCodec} form. */
    public static final String FLOW_STATE_NAME = "flow-state";

    private final RulesUpdate initialRules;
    /** Flows kept decoded by {@link FlowStateCache}; 0 reads keyed state for every packet. */
    private final int cachedFlows;
    /**
     * Heap for {@link EncodedStateCache}: bytes, 0 for none, or {@link #AUTO_ENCODED_CACHE} for
     * half of the JVM's heap (a quarter with heap state) divided among the operator's instances
     * this process may hold ({@link #instancesPerProcess}).
     */
    private final long encodedCacheBytes;

    /** {@code encodedCacheBytes} that sizes the encoded state cache from the heap. */
    public static final long AUTO_ENCODED_CACHE = -1;

    /**
     * Auto gives the encoded cache half of the heap with RocksDB: it is nearly all the job's live
     * heap there (the rest is about 100 MB at 10k open flows); at 10M open flows on the benchmark's
     * 4 GB heap a quarter left RocksDB 16M reads and as many writes, half 0.3M (docs/performance.md
     * section 21). With heap state, whose flows share the heap, it keeps the quarter it had before.
     */
    static final int AUTO_HEAP_DIVISOR = 2;
    static final int AUTO_HEAP_DIVISOR_WITH_HEAP_STATE = 4;

    private transient ValueState<byte[]> flowState;
    private transient FlowStateCache cache;
    /** Null unless the operator lets the caches write back (see {@link #useKeyContext}). */
    private transient EncodedStateCache encoded;
    /** Null until the operator starts it, and in tests that drive the function without an operator. */
    private transient StoredFlowKeys storedKeys;
    /** Set by {@link FlowAbstractorOperator}: the cache writes back; without it, it writes through. */
    private transient FlowKeyContext keys;
    private transient CompiledRules rules;
    private transient FlowMetrics metrics;
    /**
     * No decoded flow without a timer has an idle deadline before this (event-time millis), so a
     * watermark below it arms nothing and skips the walk over the cache. Lowered by every state
     * put into the decoded cache, recomputed by each walk; 0 (unknown) after a restart or new rules.
     */
    private transient long earliestUnarmedDeadline;
    /** What the last snapshot took from the encoded cache (for the metrics). */
    private transient CachedFlowsSnapshotStats lastSnapshot;
    private transient EncodedCacheTimers encodedTimers;

    public FlowAbstractorFunction(RulesUpdate initialRules) {
        this(initialRules, FlowStateCache.DEFAULT_CAPACITY);
    }

    public FlowAbstractorFunction(RulesUpdate initialRules, int cachedFlows) {
        this(initialRules, cachedFlows, AUTO_ENCODED_CACHE);
    }

    public FlowAbstractorFunction(RulesUpdate initialRules, int cachedFlows, long encodedCacheBytes) {
        this.initialRules = initialRules;
        this.cachedFlows = cachedFlows;
        this.encodedCacheBytes = encodedCacheBytes;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        flowState = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(FLOW_STATE_NAME, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        metrics = new FlowMetrics(getRuntimeContext().getMetricGroup());
        lastSnapshot = new CachedFlowsSnapshotStats();
        cache = cachedFlows > 0 ? new FlowStateCache(cachedFlows, this::writeBack) : null;
        if (cache != null) {
            metrics.cacheGauges(cache);
        }
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int instances = keys != null ? instancesPerProcess(parallelism, keys.taskSlots()) : parallelism;
        long budget = encodedCacheBudget(encodedCacheBytes, Runtime.getRuntime().maxMemory(), instances,
                keys != null && keys.keyedStateOnHeap());
        if (cache != null && keys != null && budget > 0) {
            int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
            encoded = new EncodedStateCache(budget, this::writeEncoded,
                    key -> KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism));
            encodedTimers = new EncodedCacheTimers();
            metrics.encodedCacheGauges(encoded, lastSnapshot);
            LOG.info("Encoded state cache: {} MB of heap (of up to {} flow-abstractor instances in this process)",
                    budget >> 20, instances);
        }
    }

    /**
     * The encoded state cache's budget in bytes: as configured, or for auto derived from the heap,
     * of which {@code instances} instances of the operator take a share each.
     */
    static long encodedCacheBudget(long configured, long maxHeapBytes, int instances, boolean keyedStateOnHeap) {
        if (configured != AUTO_ENCODED_CACHE) {
            return configured;
        }
        int divisor = keyedStateOnHeap ? AUTO_HEAP_DIVISOR_WITH_HEAP_STATE : AUTO_HEAP_DIVISOR;
        return maxHeapBytes / divisor / Math.max(1, instances);
    }

    /**
     * Instances of the operator one process may hold: each slot of a TaskManager takes at most one,
     * so a cluster's TaskManager holds no more than its slots ({@code sftap run} has as many slots
     * as the parallelism), and no process more than the parallelism.
     */
    static int instancesPerProcess(int parallelism, int taskSlots) {
        return Math.max(1, Math.min(parallelism, taskSlots));
    }

    @Override
    public void processElement(Packet p, ReadOnlyContext ctx, Collector<FlowEvent> out) throws Exception {
        // Broadcast state changes only in processBroadcastElement, which sets `rules` itself, so
        // once resolved the compiled rules are current (no per-packet state lookup).
        CompiledRules r = rules != null ? rules : rules(ctx.getBroadcastState(RULES_STATE));
        FlowKey key = ctx.getCurrentKey();
        EventCollector events = e -> {
            metrics.events.inc();
            out.collect(e);
        };
        if (p.streamEvent != Packet.STREAM_NONE) {
            processStream(p, r, key, events);
            return;
        }
        switch (p.protocol) {
            case IpProtocols.TCP:
                metrics.tcpPackets.inc();
                long hash = FlowKeyHash.of(key);
                FlowState before = load(key, hash);
                FlowState after = r.processor.onTcp(before, key, p, r.config.rules, events, metrics);
                store(key, hash, before == null, after, r.processor.settings(), ctx);
                break;
            case IpProtocols.UDP:
                metrics.udpPackets.inc();
                r.processor.onUdp(key, p, r.config.rules, events);
                break;
            case IpProtocols.ICMP:
            case IpProtocols.ICMPV6:
                metrics.icmpPackets.inc();
                r.processor.onIcmp(key, p, r.config.rules, events);
                break;
            default:
                break;
        }
    }

    /**
     * An event of a flow re-injected through the L7 loopback: classified again, not reassembled,
     * and kept without an idle timer (see {@link FlowProcessor#onStream}).
     */
    private void processStream(Packet p, CompiledRules r, FlowKey key, EventCollector events) throws Exception {
        if (!key.isTcp()) {
            r.processor.onStream(null, key, p, r.config.rules, events, metrics);
            return;
        }
        long hash = FlowKeyHash.of(key);
        FlowState before = load(key, hash);
        FlowState after = r.processor.onStream(before, key, p, r.config.rules, events, metrics);
        if (after == null) {
            clear(key);
        } else {
            save(key, hash, after);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlowEvent> out) throws Exception {
        FlowKey key = ctx.getCurrentKey();
        long hash = FlowKeyHash.of(key);
        FlowState s = load(key, hash);
        if (s == null) {
            return;
        }
        if (s.timerAt != timestamp) {
            return; // a timer of a flow that ended and was re-opened since
        }
        CompiledRules r = rules(ctx.getBroadcastState(RULES_STATE));
        long deadlineMillis = ceilMillis(r.processor.settings().deadlineNanos(s));
        if (deadlineMillis > timestamp) {
            // Packets arrived since the timer was set. A flow the caches keep waits there without a
            // timer until its new deadline, unless that has come too: this watermark's walks are
            // over, so it sleeps on a new timer, which fires in this watermark, as one written
            // through does.
            if (cache != null && keys != null && FlowStateCache.fits(s)
                    && deadlineMillis > ctx.timerService().currentWatermark()) {
                s.timerAt = Long.MIN_VALUE;
            } else {
                s.timerAt = deadlineMillis;
                ctx.timerService().registerEventTimeTimer(deadlineMillis);
            }
            save(key, hash, s);
            return;
        }
        r.processor.onTimeout(s, key, timestamp * 1_000_000L, r.config.rules, e -> {
            metrics.events.inc();
            out.collect(e);
        }, metrics);
        clear(key);
    }

    @Override
    public void processBroadcastElement(RulesUpdate update, Context ctx, Collector<FlowEvent> out) throws Exception {
        BroadcastState<String, String> state = ctx.getBroadcastState(RULES_STATE);
        String held = state.get(RULES_VERSION);
        if (held != null && Long.parseLong(held) > update.version) {
            return;
        }
        CompiledRules compiled;
        try {
            compiled = CompiledRules.compile(update);
        } catch (RulesException e) {
            metrics.rulesRejected.inc();
            LOG.error("Rules update {} refused, previous rules stay: {}", update, e.getMessage());
            return;
        }
        state.put(RULES_TEXT, update.text);
        state.put(RULES_VERSION, Long.toString(update.version));
        state.put(RULES_SOURCE, update.sourceName);
        rules = compiled;
        deadlinesChanged();
        LOG.info("Rules {} in force", update);
    }

    /**
     * Stores the state a packet left. {@code fresh}: the flow had no state before it (neither cached
     * nor in keyed state), so there is nothing to delete and, while it stays cached, nothing to
     * read back.
     */
    private void store(FlowKey key, long hash, boolean fresh, FlowState s, FlowSettings settings, ReadOnlyContext ctx)
            throws Exception {
        if (s == null) {
            if (!fresh) {
                clear(key);
            }
            return;
        }
        if (s.closeAcknowledged && cache != null && keys != null) {
            // Both FINs were acknowledged: only stray retransmissions can follow, so the tombstone
            // stays in the cache alone (dropped when evicted), without a timer, and keyed state
            // forgets the flow now.
            if (s.timerAt != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(s.timerAt);
                s.timerAt = Long.MIN_VALUE;
            }
            if (cache.putEphemeral(key, s) && !fresh) {
                clearStored(key);
            }
            return;
        }
        boolean writesBack = cache != null && keys != null && FlowStateCache.fits(s);
        if (writesBack && keptDecoded(key)) {
            // No timer yet: a flow that lives and ends in the caches never needs one. The
            // watermark's walks arm it when its time is due, and it gets one before keyed state
            // holds it (armTimer).
            if (fresh) {
                cache.putNew(key, s);
            } else {
                cache.putDirty(key, s);
            }
            noteDecoded(s);
            return;
        }
        if (writesBack) {
            keepEncoded(key, hash, s);
            return;
        }
        if (s.timerAt == Long.MIN_VALUE) {
            s.timerAt = ceilMillis(settings.deadlineNanos(s));
            ctx.timerService().registerEventTimeTimer(s.timerAt);
        }
        save(key, hash, s);
    }

    /**
     * Arms the idle timer of the current flow (its key is current) if it wants one and has none.
     * Every state in keyed state has its timer: write-back and write-through call this first.
     * Before the rules are known (flows restored into keyed state) the timer is set at the flow's
     * last packet, early: when it fires the flow sleeps until its real deadline.
     */
    private void armTimer(FlowState s) {
        if (needsTimer(s)) {
            s.timerAt = rules != null
                    ? ceilMillis(rules.processor.settings().deadlineNanos(s))
                    : Math.floorDiv(s.lastSeenNanos, 1_000_000L);
            keys.registerEventTimeTimer(s.timerAt);
        }
    }

    /** The idle deadline of {@code s} if it wants a timer and has none, else {@link EncodedStateCache#NO_DEADLINE}. */
    private long unarmedDeadline(FlowState s) {
        return needsTimer(s) ? ceilMillis(rules.processor.settings().deadlineNanos(s)) : EncodedStateCache.NO_DEADLINE;
    }

    /** The timeouts may have changed: every kept deadline is recomputed by the next walks. */
    private void deadlinesChanged() {
        earliestUnarmedDeadline = 0;
        if (encoded != null) {
            encoded.deadlinesChanged();
        }
    }

    /** Whether {@code s} wants an idle timer and has none yet. */
    private static boolean needsTimer(FlowState s) {
        return s.timerAt == Long.MIN_VALUE && s.wantsIdleTimer();
    }

    /**
     * Arms the timers of cached flows, decoded and encoded, whose idle deadline is at or before
     * {@code watermarkMillis}, so the timers this watermark fires include them (the operator calls
     * it before firing). {@code rulesState}: the broadcast state, for the timeouts when no packet
     * has been seen yet (restored flows wait in the encoded cache without timers).
     */
    void armCachedTimersDueBy(long watermarkMillis, ReadOnlyBroadcastState<String, String> rulesState) throws Exception {
        if (cache == null || keys == null) {
            return;
        }
        if (rules == null) {
            rules(rulesState);
        }
        FlowKey current = keys.currentFlowKey();
        try {
            // A flow may be in both caches: a clean decoded copy of an encoded one without a timer.
            // Both walks then find the same deadline in the same state and register the same
            // timer, which the timer service keeps once.
            armDecodedTimersDueBy(watermarkMillis);
            if (encoded != null) {
                encoded.armTimersDueBy(watermarkMillis, encodedTimers);
            }
        } finally {
            if (current != null) {
                keys.setCurrentFlowKey(current);
            }
        }
    }

    /** Idle deadlines and timers of flows the encoded cache keeps without one, for its walks. */
    private final class EncodedCacheTimers implements EncodedStateCache.Timers {
        @Override
        public long deadline(byte[] page, int offset, int length) {
            return unarmedDeadline(FlowStateCodec.decode(page, offset, length));
        }

        @Override
        public byte[] arm(FlowKey key, byte[] page, int offset, int length) {
            FlowState s = FlowStateCodec.decode(page, offset, length);
            keys.setCurrentFlowKey(key);
            armTimer(s);
            return FlowStateCodec.encode(s);
        }
    }

    /** The decoded cache's part of {@link #armCachedTimersDueBy}; may leave another flow's key current. */
    private void armDecodedTimersDueBy(long watermarkMillis) throws Exception {
        if (watermarkMillis < earliestUnarmedDeadline) {
            return;
        }
        FlowSettings settings = rules.processor.settings();
        long[] earliest = {Long.MAX_VALUE};
        cache.forEach((key, s) -> {
            if (needsTimer(s)) {
                long deadline = ceilMillis(settings.deadlineNanos(s));
                if (deadline <= watermarkMillis) {
                    keys.setCurrentFlowKey(key);
                    armTimer(s);
                } else {
                    earliest[0] = Math.min(earliest[0], deadline);
                }
            }
        });
        earliestUnarmedDeadline = earliest[0];
    }

    /** Keeps {@link #earliestUnarmedDeadline} at or below the deadline of {@code s}, just put into the decoded cache. */
    private void noteDecoded(FlowState s) {
        if (needsTimer(s) && rules != null) {
            earliestUnarmedDeadline = Math.min(earliestUnarmedDeadline, ceilMillis(rules.processor.settings().deadlineNanos(s)));
        }
    }

    /**
     * The current flow's state: from the decoded cache, else decoded from the encoded cache or keyed
     * state (and kept decoded while the cache admits); null if none. {@code hash}: the key's
     * {@link FlowKeyHash}.
     */
    private FlowState load(FlowKey key, long hash) throws Exception {
        if (cache != null) {
            FlowState cached = cache.get(key, hash);
            if (cached != null) {
                return cached;
            }
        }
        FlowState s = encoded != null ? encoded.getDecoded(key, hash) : null;
        if (s == null) {
            if (storedKeys != null && !storedKeys.mightContain(hash)) {
                return null; // keyed state never held this flow: no read
            }
            byte[] stored = flowState.value();
            if (stored == null) {
                return null;
            }
            if (encoded != null && EncodedStateCache.fits(stored)) {
                encoded.putClean(key, hash, stored);
            }
            s = FlowStateCodec.decode(stored);
        }
        if (cache != null && FlowStateCache.fits(s) && cache.admitting()) {
            cache.putClean(key, s);
            noteDecoded(s);
        }
        return s;
    }

    /**
     * Whether the current flow's new state goes into the decoded cache: it is there already (an
     * older state of it must not outlive the new one there), or the cache admits flows now.
     */
    private boolean keptDecoded(FlowKey key) {
        return cache.admitting() || cache.contains(key);
    }

    /**
     * Stores the current flow's state: kept dirty in the cache when the operator lets it write
     * back, else written to keyed state at once.
     */
    private void save(FlowKey key, long hash, FlowState s) throws Exception {
        boolean cacheable = cache != null && FlowStateCache.fits(s);
        if (cacheable && keys != null) {
            if (keptDecoded(key)) {
                cache.putDirty(key, s);
                noteDecoded(s);
            } else {
                keepEncoded(key, hash, s);
            }
            return;
        }
        if (encoded != null) {
            encoded.remove(key); // keyed state gets the newer state now
        }
        keyStored(key);
        flowState.update(FlowStateCodec.encode(s));
        if (cacheable) {
            cache.putClean(key, s);
        } else if (cache != null) {
            cache.remove(key);
        }
    }

    /** Ends the current flow's state; skips the delete for a flow that never left the cache. */
    private void clear(FlowKey key) {
        if (cache == null || cache.forget(key)) {
            clearStored(key);
        }
    }

    /**
     * Deletes the current flow's stored state: from the encoded cache, and from the state backend
     * unless the stored-keys filter knows the backend never held it.
     */
    private void clearStored(FlowKey key) {
        if (encoded != null) {
            encoded.remove(key);
        }
        if (storedKeys == null || storedKeys.mayHold(key)) {
            flowState.clear();
        }
    }

    /** Stores a cached flow's state that the decoded cache evicts or flushes (see {@link #keepEncoded}). */
    private void writeBack(FlowKey key, FlowState s) throws Exception {
        keepEncoded(key, FlowKeyHash.of(key), s);
    }

    /**
     * Keeps a flow's state past the decoded cache (evicted, flushed, or not admitted there): in the
     * encoded cache as changed, with its idle deadline if it has no timer, or, if it does not fit
     * there, in keyed state with its timer armed first.
     */
    private void keepEncoded(FlowKey key, long hash, FlowState s) throws Exception {
        byte[] bytes = FlowStateCodec.encode(s);
        if (encoded != null && EncodedStateCache.fits(bytes)) {
            encoded.putDirty(key, hash, bytes, unarmedDeadline(s));
        } else {
            if (encoded != null) {
                encoded.remove(key);
            }
            writeStored(key, s, bytes);
        }
    }

    /**
     * Writes a flow's encoded state to keyed state under its own key. {@code mayLackTimer}: the
     * state may want a timer it has not got, which is armed first.
     */
    private void writeEncoded(FlowKey key, byte[] state, boolean mayLackTimer) throws Exception {
        writeStored(key, mayLackTimer ? FlowStateCodec.decode(state) : null, state);
    }

    /**
     * Writes {@code state}, the encoded {@code s}, to keyed state under the flow's own key, then
     * restores the key; arms the flow's timer first if {@code s} is given and lacks one.
     */
    private void writeStored(FlowKey key, FlowState s, byte[] state) throws Exception {
        FlowKey current = keys.currentFlowKey();
        keys.setCurrentFlowKey(key);
        try {
            byte[] stored = state;
            if (s != null && needsTimer(s)) {
                armTimer(s);
                stored = FlowStateCodec.encode(s);
            }
            keyStored(key);
            flowState.update(stored);
        } finally {
            if (current != null) {
                keys.setCurrentFlowKey(current);
            }
        }
    }

    private void keyStored(FlowKey key) {
        if (storedKeys != null) {
            storedKeys.add(key);
        }
    }

    /**
     * Starts the filter of stored flow keys from the keys keyed state holds (none unless restored);
     * the operator calls it once keyed state is open. Without it every cache miss reads keyed state.
     */
    void trackStoredKeys(StoredFlowKeys.KeyLister lister, int bitsLog2) throws Exception {
        storedKeys = new StoredFlowKeys(bitsLog2);
        long start = System.nanoTime();
        storedKeys.fill(lister);
        if (storedKeys.filled() > 0) {
            LOG.info("{} restored flow keys read into the new-flow filter in {} ms{}", storedKeys.filled(),
                    (System.nanoTime() - start) / 1_000_000,
                    storedKeys.enabled() ? "" : "; too many for the filter, which is off");
        }
        metrics.storedKeysGauges(storedKeys);
    }

    /** Flows the decoded cache holds (for tests). */
    int decodedCacheSize() {
        return cache == null ? 0 : cache.size();
    }

    /** Whether the decoded cache takes in the flows it misses now (for tests). */
    boolean decodedCacheAdmitting() {
        return cache != null && cache.admitting();
    }

    /** Lets the state cache switch keys, so it keeps changes until eviction or a checkpoint. */
    void useKeyContext(FlowKeyContext keys) {
        this.keys = keys;
    }

    /**
     * Moves every changed decoded flow into the encoded cache, or keyed state if it does not fit
     * there (before a checkpoint barrier; {@link #snapshotCachedFlows} then takes the encoded ones).
     */
    void flushStateCache() throws Exception {
        if (cache != null && keys != null) {
            cache.flush();
        }
    }

    /**
     * Writes the encoded cache's changed flows, which keyed state lacks, to a snapshot's raw keyed
     * state stream, one group per key group of {@code groups}; nothing without an encoded cache.
     */
    void snapshotCachedFlows(KeyGroupsList groups, OutputStream out, CachedFlowsRawState.KeyGroupStarter starter)
            throws Exception {
        if (encoded == null) {
            return;
        }
        long start = System.nanoTime();
        int first = groups.getKeyGroupId(0);
        int count = groups.getNumberOfKeyGroups();
        if (groups.getKeyGroupId(count - 1) != first + count - 1) {
            throw new IllegalStateException("key groups of this instance are not one range: " + groups);
        }
        EncodedStateCache.DirtyFlows dirty = encoded.dirtyByKeyGroup(first, count);
        long bytes = CachedFlowsRawState.write(dirty, out, starter);
        lastSnapshot.taken(dirty.total(), bytes, (System.nanoTime() - start) / 1_000_000L);
    }

    /**
     * Takes back the flows a snapshot's raw keyed state held (the operator calls it after {@link
     * #open}): they are newer than keyed state, so they go into the encoded cache as changed, or
     * straight to keyed state without one. Some have no timer (the cache held them without one):
     * the cache's first walk finds which, and keyed state gets none without its timer. Empties the
     * lists as it goes: the cache can take most of the heap, and the lists a copy of all it held,
     * so the two must not be live at once.
     */
    void restoreCachedFlows(List<byte[]> keyBytes, List<byte[]> states) throws Exception {
        for (int i = 0; i < keyBytes.size(); i++) {
            FlowKey key = FlowKeyBytes.read(keyBytes.set(i, null));
            byte[] state = states.set(i, null);
            if (encoded != null) {
                encoded.putDirty(key, state, EncodedStateCache.DEADLINE_UNKNOWN);
            } else {
                writeEncoded(key, state, true);
            }
        }
    }

    /** The rules in force: compiled once per change, from broadcast state if it holds any. */
    private CompiledRules rules(ReadOnlyBroadcastState<String, String> state) throws Exception {
        String text = state.get(RULES_TEXT);
        if (rules != null && (text == null || text.equals(rules.text))) {
            return rules;
        }
        RulesUpdate source = text == null
                ? initialRules
                : new RulesUpdate(Long.parseLong(state.get(RULES_VERSION)), text, state.get(RULES_SOURCE));
        rules = CompiledRules.compile(source);
        deadlinesChanged(); // the timeouts may differ from those of the rules before
        return rules;
    }

    private static long ceilMillis(long nanos) {
        return Math.floorDiv(nanos + 999_999L, 1_000_000L);
    }

    /** Type of the keyed flow state, for tests and tools. */
    public static TypeInformation<byte[]> flowStateType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }
}
