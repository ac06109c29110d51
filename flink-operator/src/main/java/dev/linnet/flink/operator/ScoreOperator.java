package dev.linnet.flink.operator;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import dev.linnet.flink.state.IncompatibleModelStateException;
import dev.linnet.flink.state.StateSchema;
import dev.linnet.flink.state.StreamStateSerializer;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The keyed scorer: runs each key's records through the model in order, many keys per model call.
 *
 * <p>Records are buffered (see {@link PendingBuffer}) until {@code batch.max-tokens} tokens wait, records of as
 * many keys wait as the heap leaves room for beside the cache ({@link CacheBudget}), the oldest has waited
 * {@code batch.max-delay}, a checkpoint barrier is due, or the input ends. A flush then:
 * <ol>
 *   <li>fetches each buffered key's state once: from the {@link StateCache} or, on a miss, from Flink state;</li>
 *   <li>runs rounds of one record per key through {@link Model#forwardBatch} (the engine computes every
 *       stream's rows exactly as alone, so results do not depend on what shares a batch);</li>
 *   <li>emits one {@link ScoredRecord} per record, and writes each advanced state back to Flink state once:
 *       whole, or as the pages its records changed ({@link StateLayout}, {@link PagedStateStore}).</li>
 * </ol>
 * Flushing in {@link #prepareSnapshotPreBarrier} means a checkpoint holds every update of the records before
 * its barrier and no buffered record: exactly-once, and a restore replays from a record boundary. With
 * BFLOAT16 state, states are rounded after every record, so a restored stream continues bit for bit.
 *
 * <p>Watermarks are held while records are buffered and passed on after the flush, so buffered records never
 * become late downstream.
 */
final class ScoreOperator extends AbstractStreamOperator<ScoredRecord>
        implements OneInputStreamOperator<ScorerInput, ScoredRecord> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScoreOperator.class);

    private static final long serialVersionUID = 1L;

    static final String STATE_NAME = "linnet-stream-state";

    private final ScorerSettings settings;
    /** The clock of Flink's state TTL, which the cache's TTL check must share. */
    private final TtlClock ttlClock;
    /** The heap the state budget divides ({@link CacheBudget}): the JVM's maximum heap in a job. */
    private final long heapBytes;

    private transient SharedModels.Lease lease;
    private transient Model model;
    private transient StateCodec codec;
    private transient ValueState<StreamState> streamState;
    /** The paged layout's states; registered in either layout, so that each reads what the other stored. */
    private transient PagedStateStore paged;

    private transient StateCache cache;
    /** Distinct keys a flush may hold beside the cache (each a decoded state): reaching it starts a flush. */
    private transient int flushKeys;

    private transient PendingBuffer buffer;
    private transient ScorerMetrics metrics;
    private transient int vocabSize;
    /** Processing time the oldest buffered record arrived; meaningful while the buffer is not empty. */
    private transient long oldestArrival;

    private transient boolean timerArmed;
    private transient Watermark heldWatermark;

    ScoreOperator(ScorerSettings settings) {
        this(settings, TtlClock.SYSTEM);
    }

    /**
     * @param ttlClock the time Flink's state TTL runs on: the wall clock in a job; a test harness that sets its TTL
     *     time ({@code setStateTtlProcessingTime}) gives the same time here
     */
    ScoreOperator(ScorerSettings settings, TtlClock ttlClock) {
        this(settings, ttlClock, Runtime.getRuntime().maxMemory());
    }

    /** @param heapBytes the heap the cache and a flush's keys share (a test gives a small one) */
    ScoreOperator(ScorerSettings settings, TtlClock ttlClock, long heapBytes) {
        this.settings = settings;
        this.ttlClock = ttlClock;
        this.heapBytes = heapBytes;
    }

    /** Milliseconds on the clock of Flink's state TTL (its default TtlTimeProvider reads the wall clock). */
    @FunctionalInterface
    interface TtlClock extends Serializable {
        TtlClock SYSTEM = System::currentTimeMillis;

        long millis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        lease = SharedModels.acquire(
                Path.of(settings.modelPath),
                LoadOptions.DEFAULT.withWindowBound(settings.windowBound),
                getRuntimeContext());
        model = lease.model();
        vocabSize = model.config().vocabSize();
        metrics = new ScorerMetrics(getMetricGroup());
        StreamStateSerializer serializer = new StreamStateSerializer(StateSchema.of(model, settings.statePrecision));
        codec = serializer.codec();
        AtomicReference<StateSchema> restoredUnderOtherModel = new AtomicReference<>();
        if (settings.onModelChange == ModelChangePolicy.RESET) {
            serializer =
                    serializer.resettingOnModelChange((restored, current) -> restoredUnderOtherModel.set(restored));
        }
        ValueStateDescriptor<StreamState> descriptor =
                StreamTtl.apply(new ValueStateDescriptor<>(STATE_NAME, serializer), settings.stateTtl);
        // a restore under another model fails here, with IncompatibleModelStateException as the cause (FAIL policy)
        streamState = getPartitionedState(descriptor);
        if (restoredUnderOtherModel.get() != null) {
            resetAllStreams(descriptor);
        }
        paged = new PagedStateStore(
                model.statePages(settings.statePrecision),
                getPartitionedState(PagedStateStore.headDescriptor(settings.stateTtl)),
                getPartitionedState(PagedStateStore.pagesDescriptor(settings.stateTtl)),
                settings.stateTtl);
        int slots = getContainingTask()
                .getEnvironment()
                .getTaskManagerInfo()
                .getConfiguration()
                .get(org.apache.flink.configuration.TaskManagerOptions.NUM_TASK_SLOTS);
        long stateBytes = model.newState().memoryBytes();
        int cacheStates = CacheBudget.states(settings.cacheMaxStates, stateBytes, heapBytes, slots);
        flushKeys = CacheBudget.flushKeys(cacheStates, stateBytes, heapBytes, slots);
        if (cacheStates < settings.cacheMaxStates) {
            LOG.info(
                    "linnet.cache.max-states {} lowered to {}: {} slots' caches of {}-byte states, with room for the"
                            + " keys of a flush, must fit 3/4 of the {}-byte heap (raise"
                            + " taskmanager.memory.task.heap.size to cache more)",
                    settings.cacheMaxStates,
                    cacheStates,
                    slots,
                    stateBytes,
                    heapBytes);
        }
        cache = new StateCache(cacheStates, settings.stateTtl == null ? 0 : settings.stateTtl.toMillis());
        buffer = new PendingBuffer();
    }

    /**
     * RESET policy: the restored states belong to another model; drop them all (none is ever decoded), counted
     * in {@code linnet.numStreamsReset}.
     */
    private void resetAllStreams(ValueStateDescriptor<StreamState> descriptor) throws Exception {
        long[] cleared = {0};
        getKeyedStateBackend()
                .applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor, (key, state) -> {
                    state.clear();
                    cleared[0]++;
                });
        metrics.streamsReset.inc(cleared[0]);
    }

    /** The operator's metrics (for tests); null before {@link #open()}. */
    ScorerMetrics metrics() {
        return metrics;
    }

    @Override
    public void processElement(StreamRecord<ScorerInput> element) throws Exception {
        ScorerInput in = element.getValue();
        Object key = getCurrentKey();
        int[] tokens = in.tokens;
        if (tokens == null || tokens.length == 0) {
            reject(in, RejectReason.EMPTY, "the record has no tokens");
            return;
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize) {
                reject(
                        in,
                        RejectReason.TOKEN_OUT_OF_VOCABULARY,
                        "token id " + tokens[i] + " at position " + i + " is outside the model's vocabulary [0, "
                                + vocabSize + ")");
                return;
            }
        }
        boolean truncated = false;
        if (tokens.length > settings.maxTokensPerRecord) {
            if (settings.overLength == OverLengthPolicy.REJECT) {
                reject(
                        in,
                        RejectReason.TOO_LONG,
                        tokens.length + " tokens, more than " + LinnetOptions.MAX_TOKENS_PER_RECORD.key() + " = "
                                + settings.maxTokensPerRecord);
                return;
            }
            tokens = Arrays.copyOf(tokens, settings.maxTokensPerRecord);
            truncated = true;
            metrics.truncated.inc();
        }
        metrics.recordsIn.inc();
        metrics.tokensIn.inc(tokens.length);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (buffer.isEmpty()) {
            oldestArrival = now;
        }
        buffer.add(new PendingRecord(key, in, tokens, truncated, element.getTimestamp(), element.hasTimestamp()));
        if (buffer.tokens() >= settings.batchMaxTokens
                || buffer.keyCount() >= flushKeys
                || settings.batchMaxDelayMillis == 0) {
            flush();
        } else if (!timerArmed) {
            armTimer(oldestArrival + settings.batchMaxDelayMillis);
        }
    }

    private void armTimer(long at) {
        timerArmed = true;
        getProcessingTimeService().registerTimer(at, this::onFlushTimer);
    }

    private void onFlushTimer(long time) throws Exception {
        timerArmed = false;
        if (buffer.isEmpty()) {
            return;
        }
        long due = oldestArrival + settings.batchMaxDelayMillis;
        if (time >= due) {
            flush();
        } else {
            armTimer(due); // the buffer was flushed and refilled since this timer was set
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (buffer.isEmpty()) {
            super.processWatermark(mark);
        } else {
            heldWatermark = mark;
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            if (lease != null) {
                lease.close();
                lease = null;
            }
        }
    }

    /** Runs every buffered record through the model, emits the results and writes advanced states back. */
    private void flush() throws Exception {
        if (buffer == null || buffer.isEmpty()) { // null: open() failed, and the task is closing
            releaseHeldWatermark();
            return;
        }
        List<Object> keys = buffer.keys();
        Map<Object, StreamState> live = new HashMap<>(keys.size() * 2);
        // what each state had seen when last stored: the paged layout writes what changed since
        Map<Object, Long> seenBefore = new HashMap<>(keys.size() * 2);
        for (Object key : keys) {
            StreamState s = stateOf(key);
            live.put(key, s);
            seenBefore.put(key, s.tokensSeen());
        }
        while (!buffer.isEmpty()) {
            for (List<PendingRecord> batch : PendingBuffer.batches(buffer.nextRound(), settings.batchMaxTokens)) {
                run(batch, live);
            }
        }
        long writtenAt = ttlClock.millis(); // before the writes: Flink's TTL stamps come later
        for (Object key : keys) {
            StreamState s = live.get(key);
            setCurrentKey(key);
            long mark = cache.storeMark(key);
            long written;
            if (settings.stateLayout == StateLayout.PAGED) {
                PagedStateStore.Written w = paged.write(s, seenBefore.get(key), mark, writtenAt);
                cache.setStoreMark(key, w.refreshedAt());
                written = w.bytes();
                if (mark == PagedStateStore.WRITE_EVERY_PAGE) streamState.clear(); // it was stored whole
            } else {
                // a copy: the heap backend keeps the object itself, and the cached one goes on changing
                streamState.update(s.copy());
                written = codec.encodedSize(s);
                if (mark == PagedStateStore.WRITE_EVERY_PAGE) {
                    paged.clear(); // it was stored as pages
                    cache.setStoreMark(key, 0);
                }
            }
            cache.written(key, writtenAt);
            metrics.stateBytes.update(written);
            metrics.stateBytesWritten.inc(written);
        }
        cache.trim(Set.of());
        releaseHeldWatermark();
    }

    private void run(List<PendingRecord> batch, Map<Object, StreamState> live) {
        List<StreamState> states = new ArrayList<>(batch.size());
        List<int[]> chunks = new ArrayList<>(batch.size());
        long[] offsets = new long[batch.size()];
        int tokens = 0;
        for (int i = 0; i < batch.size(); i++) {
            StreamState s = live.get(batch.get(i).key());
            states.add(s);
            chunks.add(batch.get(i).chunk());
            offsets[i] = s.tokensSeen();
            tokens += batch.get(i).chunk().length;
        }
        long start = System.nanoTime();
        List<ChunkResult> results = model.forwardBatch(states, chunks, ForwardOptions.DEFAULT);
        metrics.modelLatencyMs.update((System.nanoTime() - start) / 1_000_000);
        metrics.batchRecords.update(batch.size());
        metrics.batchTokens.update(tokens);
        for (int i = 0; i < batch.size(); i++) {
            StreamState s = states.get(i);
            if (settings.statePrecision != StatePrecision.FLOAT32) {
                // what a restore would decode: keeps runs with and without failures identical
                codec.roundInPlace(s);
            }
            emit(batch.get(i), results.get(i), offsets[i], s.tokensSeen());
        }
    }

    private StreamState stateOf(Object key) throws Exception {
        StreamState s = cache.get(key, ttlClock.millis());
        if (s != null) {
            metrics.cacheHits.inc();
            return s;
        }
        metrics.cacheMisses.inc();
        setCurrentKey(key);
        long now = ttlClock.millis();
        long mark = now; // a new stream's pages: all written from now on
        if (settings.stateLayout == StateLayout.PAGED) {
            PagedStateStore.Read r = readPaged();
            s = r.state();
            if (s != null) {
                mark = r.refreshedAt();
            } else {
                StreamState whole = streamState.value(); // stored before the layout changed
                if (whole != null) {
                    s = whole.copy();
                    mark = PagedStateStore.WRITE_EVERY_PAGE;
                }
            }
        } else {
            StreamState whole = streamState.value();
            // a copy: the heap backend hands out the object it holds, which must not change under a snapshot
            s = whole == null ? null : whole.copy();
            if (s == null) {
                s = readPaged().state(); // stored before the layout changed
                if (s != null) mark = PagedStateStore.WRITE_EVERY_PAGE;
            }
        }
        if (s == null) s = model.newState();
        cache.put(key, s, mark);
        return s;
    }

    /** The current key's paged state; a state of another model is dropped (RESET) or fails the task (FAIL). */
    private PagedStateStore.Read readPaged() throws Exception {
        try {
            PagedStateStore.Read r = paged.read();
            if (r.expired()) metrics.streamsExpired.inc();
            return r;
        } catch (PagedStateStore.ForeignState e) {
            if (settings.onModelChange == ModelChangePolicy.RESET) {
                paged.clear();
                metrics.streamsReset.inc();
                return new PagedStateStore.Read(null, 0, false);
            }
            throw new IncompatibleModelStateException("the stream state of key " + getCurrentKey()
                    + " was written under model " + e.writer + ", but this job runs model "
                    + model.fingerprint() + ": restore from a savepoint of this model, or set "
                    + LinnetOptions.ON_MODEL_CHANGE.key() + ": RESET to start such streams afresh");
        }
    }

    private void emit(PendingRecord r, ChunkResult result, long offset, long tokensSeen) {
        SurpriseSummary summary = SurpriseSummary.of(result.surprisal(), settings.topK);
        ScoredRecord out = new ScoredRecord();
        out.key = r.input().key;
        out.recordId = r.input().recordId;
        out.streamOffset = offset;
        out.tokens = r.chunk().length;
        out.truncated = r.truncated();
        out.meanSurprisal = summary.mean;
        out.maxSurprisal = summary.max;
        out.topPositions = summary.topPositions;
        out.topSurprisals = summary.topSurprisals;
        out.embedding = settings.emitEmbedding ? result.embedding() : null;
        out.tokensSeen = tokensSeen;
        output.collect(r.hasTimestamp() ? new StreamRecord<>(out, r.timestamp()) : new StreamRecord<>(out));
    }

    private void reject(ScorerInput in, RejectReason reason, String detail) {
        metrics.rejected(reason).inc();
        output.collect(
                LinnetScorer.REJECTED, new StreamRecord<>(new RejectedRecord(in.key, in.recordId, reason, detail)));
    }

    private void releaseHeldWatermark() throws Exception {
        if (heldWatermark != null) {
            Watermark w = heldWatermark;
            heldWatermark = null;
            super.processWatermark(w);
        }
    }
}
