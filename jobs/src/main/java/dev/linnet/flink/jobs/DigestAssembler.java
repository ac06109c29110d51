package dev.linnet.flink.jobs;

import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import dev.linnet.flink.operator.ScoredRecord;
import dev.linnet.flink.operator.SharedModels;
import dev.linnet.flink.operator.StreamTtl;
import dev.linnet.flink.state.StateSchema;
import dev.linnet.flink.state.StreamStateSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Gathers each key's scored records into digests: closed after N records, after T of event time, or at the
 * end of a bounded input. The records of an open digest are appended to list state (cheap on RocksDB too);
 * its totals are a small value.
 *
 * <p>The summary text needs the stream's model state, which lives inside the scorer. Until the scorer can
 * hand out a copy of it, this function keeps its own copy, advanced over the same tokens of each record,
 * which the engine computes bit for bit as the scorer does; its token count is checked against the
 * scorer's on every record. It costs a second pass of the model, so it runs only when a summary is asked for.
 */
public final class DigestAssembler extends KeyedProcessFunction<String, ScoredRecord, DigestRecord> {

    private static final long serialVersionUID = 1L;
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private final DigestSettings settings;
    private final TokenizerSpec tokenizerSpec;
    private final String separator;
    private final String modelDir;
    private final StatePrecision precision;
    private final int windowBound;
    private final Duration stateTtl;

    private transient ValueState<DigestPeriod> period;
    private transient ListState<DigestEntry> entries;
    private transient ValueState<Long> closedDigests;
    private transient ValueState<StreamState> mirror;
    private transient TextTokenizer tokenizer;
    private transient SharedModels.Lease lease;
    private transient Model model;
    private transient StateCodec codec;
    private transient int[] promptIds;

    public DigestAssembler(DigestSettings settings, TokenizerSpec tokenizer, String separator, ScorerTuning scorer) {
        this.settings = settings;
        this.tokenizerSpec = tokenizer;
        this.separator = separator;
        this.modelDir = scorer.modelDir();
        this.precision = scorer.statePrecision();
        this.windowBound = scorer.windowBound();
        this.stateTtl = scorer.stateTtl();
    }

    @Override
    public void open(OpenContext context) {
        period = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("linnet-digest-period", TypeInformation.of(DigestPeriod.class)));
        entries = getRuntimeContext()
                .getListState(
                        new ListStateDescriptor<>("linnet-digest-entries", TypeInformation.of(DigestEntry.class)));
        closedDigests = getRuntimeContext().getState(new ValueStateDescriptor<>("linnet-digest-count", Long.class));
        tokenizer = tokenizerSpec.create();
        if (settings.summaryTokens() > 0) {
            // the same load options as the scorer's, so the copy advances exactly as the scorer's state does
            lease = SharedModels.acquire(
                    Path.of(modelDir), LoadOptions.DEFAULT.withWindowBound(windowBound), getRuntimeContext());
            model = lease.model();
            StreamStateSerializer serializer = new StreamStateSerializer(StateSchema.of(model, precision));
            codec = serializer.codec();
            // forgotten after linnet.state.ttl like the scorer's state it copies (see advanceMirror)
            mirror = getRuntimeContext()
                    .getState(StreamTtl.apply(
                            new ValueStateDescriptor<>("linnet-digest-stream-state", serializer), stateTtl));
            promptIds = tokenizer.encode(settings.prompt()).ids();
        }
    }

    @Override
    public void close() throws Exception {
        if (lease != null) {
            lease.close();
            lease = null;
        }
        super.close();
    }

    @Override
    public void processElement(ScoredRecord r, Context ctx, Collector<DigestRecord> out) throws Exception {
        LogLine line;
        try {
            line = LineContextCodec.decode(r.recordId);
        } catch (RuntimeException e) {
            // without its tokens the summary's copy of the stream cannot follow: that fails the task at the next
            // record (a state failure), as it must; without a summary the record is only left out of the digest
            ctx.output(ParseLogLines.DEAD_LETTERS, DeadLetters.reportFailed(r, e));
            return;
        }
        long t = ctx.timestamp() != null ? ctx.timestamp() : line.timestamp;
        DigestPeriod p = period.value();
        if (p != null && p.timer != END_OF_INPUT && t >= p.timer) {
            // this record belongs to the next period: close the open one now rather than when the watermark
            // passes, so what a digest holds does not depend on when watermarks happen to be emitted
            ctx.timerService().deleteEventTimeTimer(p.timer);
            close(ctx.getCurrentKey(), p, "time", out);
            p = null;
        }
        if (p == null) {
            p = new DigestPeriod();
            p.firstTimestamp = t;
            Long closed = closedDigests.value();
            p.sequence = closed == null ? 0 : closed;
            p.timer = settings.everyTime() == null
                    ? END_OF_INPUT
                    : t + settings.everyTime().toMillis();
            ctx.timerService().registerEventTimeTimer(p.timer);
        }
        p.lastTimestamp = Math.max(p.lastTimestamp, t);
        p.records++;
        p.tokens += r.tokens;
        if (!Double.isNaN(r.meanSurprisal)) {
            p.scoredRecords++;
            p.sumMeanSurprisal += r.meanSurprisal;
            p.maxMeanSurprisal = p.scoredRecords == 1 ? r.meanSurprisal : Math.max(p.maxMeanSurprisal, r.meanSurprisal);
        }
        p.truncated += line.truncated || r.truncated ? 1 : 0;
        p.invalidUtf8 += line.invalidUtf8 ? 1 : 0;
        p.defaultKey += line.defaultKey ? 1 : 0;
        p.streamTokens = r.tokensSeen;

        DigestEntry e = new DigestEntry();
        e.partition = line.partition;
        e.offset = line.offset;
        e.timestamp = t;
        e.line = BoundedText.forJson(line.text, lineJsonBytes(settings.topK()));
        e.meanSurprisal = Double.isNaN(r.meanSurprisal) ? null : r.meanSurprisal;
        e.embedding = r.embedding;
        entries.add(e);

        if (mirror != null) {
            advanceMirror(line, r);
        }
        if (p.records >= settings.everyRecords()) {
            ctx.timerService().deleteEventTimeTimer(p.timer);
            close(ctx.getCurrentKey(), p, "records", out);
        } else {
            period.update(p);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DigestRecord> out) throws Exception {
        DigestPeriod p = period.value();
        if (p != null && p.timer == timestamp) {
            boolean end = timestamp == END_OF_INPUT || ctx.timerService().currentWatermark() == Long.MAX_VALUE;
            close(ctx.getCurrentKey(), p, end ? "end-of-input" : "time", out);
        }
    }

    /**
     * Feeds the record's scored tokens to this function's copy of the stream's state. A record the scorer read on
     * an empty state (the stream's first, or the first after linnet.state.ttl forgot it) starts the copy afresh. A
     * copy that is missing while the scorer's stream goes on (forgotten by the TTL a moment before the scorer's
     * state, which is written a little later) cannot be rebuilt: the key's digests then go without a summary
     * until its stream starts afresh.
     */
    private void advanceMirror(LogLine line, ScoredRecord r) throws Exception {
        StreamState s;
        if (r.streamOffset == 0) {
            s = model.newState();
        } else {
            s = mirror.value();
            if (s == null) {
                return;
            }
        }
        int[] ids = tokenizer.encode(line.text + separator).ids();
        model.forward(s, Arrays.copyOf(ids, Math.min(ids.length, r.tokens)), ForwardOptions.DEFAULT);
        if (precision != StatePrecision.FLOAT32) {
            codec.roundInPlace(s);
        }
        if (s.tokensSeen() != r.tokensSeen) {
            throw new IllegalStateException("the digest's copy of stream " + r.key + " has seen " + s.tokensSeen()
                    + " tokens but the scorer's " + r.tokensSeen + ": the tokenizer or model differs between them");
        }
        mirror.update(s);
    }

    private void close(String key, DigestPeriod p, String closedBy, Collector<DigestRecord> out) throws Exception {
        List<DigestEntry> list = new ArrayList<>();
        for (DigestEntry e : entries.get()) {
            list.add(e);
        }
        DigestRecord d = new DigestRecord();
        d.key = key;
        d.sequence = p.sequence;
        d.closedBy = closedBy;
        d.firstTimestamp = p.firstTimestamp;
        d.lastTimestamp = p.lastTimestamp;
        d.records = p.records;
        d.tokens = p.tokens;
        d.meanSurprisal = p.scoredRecords == 0 ? null : p.sumMeanSurprisal / p.scoredRecords;
        d.maxMeanSurprisal = p.scoredRecords == 0 ? null : p.maxMeanSurprisal;
        d.truncated = p.truncated;
        d.invalidUtf8 = p.invalidUtf8;
        d.defaultKey = p.defaultKey;
        d.novel = novel(list, settings.topK());
        d.representative = representative(list, settings.topK());
        d.streamTokens = p.streamTokens;
        if (mirror != null) {
            StreamState s = mirror.value();
            if (s != null && s.tokensSeen() > 0) {
                // generate() works on a copy: the stream's state is not advanced by the prompt or the text
                int[] text = model.generate(s, promptIds, settings.summaryTokens(), 0f, 0L);
                d.summaryPrompt = BoundedText.forJson(settings.prompt(), BoundedText.MESSAGE_JSON_BYTES);
                d.summary = BoundedText.forJson(tokenizer.decode(text), BoundedText.LINE_JSON_BYTES);
            }
        }
        out.collect(d);
        entries.clear();
        period.clear();
        closedDigests.update(p.sequence + 1);
    }

    /**
     * Most JSON bytes of each listed line: the lines of one digest ({@code topK} novel and {@code topK}
     * representative ones) together stay within {@link BoundedText#DIGEST_LINES_JSON_BYTES}.
     */
    static int lineJsonBytes(int topK) {
        return Math.min(BoundedText.DIGEST_LINE_JSON_BYTES, BoundedText.DIGEST_LINES_JSON_BYTES / (2 * topK));
    }

    /** Highest mean surprisal first; ties by offset. */
    static List<DigestItem> novel(List<DigestEntry> list, int k) {
        List<DigestEntry> scored = new ArrayList<>();
        for (DigestEntry e : list) {
            if (e.meanSurprisal != null) {
                scored.add(e);
            }
        }
        scored.sort(
                Comparator.comparingDouble((DigestEntry e) -> -e.meanSurprisal).thenComparingLong(e -> e.offset));
        List<DigestItem> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, scored.size()); i++) {
            out.add(DigestItem.of(scored.get(i), null));
        }
        return out;
    }

    /** Closest (cosine) to the mean of the digest's embeddings first; ties by offset. */
    static List<DigestItem> representative(List<DigestEntry> list, int k) {
        float[] centroid = null;
        int n = 0;
        for (DigestEntry e : list) {
            if (e.embedding == null) {
                continue;
            }
            if (centroid == null) {
                centroid = new float[e.embedding.length];
            }
            for (int i = 0; i < centroid.length; i++) {
                centroid[i] += e.embedding[i];
            }
            n++;
        }
        List<DigestItem> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        List<double[]> ranked = new ArrayList<>(); // {index, similarity}
        for (int j = 0; j < list.size(); j++) {
            float[] v = list.get(j).embedding;
            if (v != null) {
                ranked.add(new double[] {j, cosine(v, centroid)});
            }
        }
        ranked.sort(
                Comparator.comparingDouble((double[] a) -> -a[1]).thenComparingLong(a -> list.get((int) a[0]).offset));
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            out.add(DigestItem.of(list.get((int) ranked.get(i)[0]), ranked.get(i)[1]));
        }
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
