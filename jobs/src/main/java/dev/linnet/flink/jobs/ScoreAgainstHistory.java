package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.ScoredRecord;
import dev.linnet.flink.operator.StreamTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts each scored line against its key's own history: z-score of its mean surprisal against the key's
 * running statistics and its exceedance against the key's score histogram (both keyed state, updated after
 * scoring so a burst does not hide itself), the anomaly flag of the chosen {@link AlarmRule}, and the text
 * its most surprising tokens with their spans. A record whose output cannot be built (its context unreadable)
 * becomes a dead letter on {@link ParseLogLines#DEAD_LETTERS}; a failure of keyed state fails the task. Metric:
 * {@code linnet.jobs.anomalies}.
 */
public final class ScoreAgainstHistory extends KeyedProcessFunction<String, ScoredRecord, AnomalyRecord> {

    private static final long serialVersionUID = 1L;

    private final AnomalySettings settings;
    private final TokenizerSpec tokenizerSpec;
    private final String separator;
    private final Duration stateTtl;

    private transient ValueState<RunningStats> stats;
    private transient ValueState<ScoreHistogram> histogram;
    private transient TextTokenizer tokenizer;
    private transient Counter anomalies;

    /** @param stateTtl the key's history is forgotten with its model state, after this long unwritten; null: never */
    public ScoreAgainstHistory(AnomalySettings settings, TokenizerSpec tokenizer, String separator, Duration stateTtl) {
        this.settings = settings;
        this.tokenizerSpec = tokenizer;
        this.separator = separator;
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext context) {
        stats = getRuntimeContext()
                .getState(StreamTtl.apply(
                        new ValueStateDescriptor<>("linnet-running-stats", TypeInformation.of(RunningStats.class)),
                        stateTtl));
        histogram = getRuntimeContext()
                .getState(StreamTtl.apply(
                        new ValueStateDescriptor<>("linnet-score-histogram", TypeInformation.of(ScoreHistogram.class)),
                        stateTtl));
        tokenizer = tokenizerSpec.create();
        anomalies = getRuntimeContext()
                .getMetricGroup()
                .addGroup("linnet")
                .addGroup("jobs")
                .counter("anomalies");
    }

    @Override
    public void processElement(ScoredRecord scored, Context ctx, Collector<AnomalyRecord> out) throws Exception {
        LogLine line;
        try {
            line = LineContextCodec.decode(scored.recordId);
        } catch (RuntimeException e) {
            ctx.output(ParseLogLines.DEAD_LETTERS, DeadLetters.reportFailed(scored, e));
            return;
        }
        RunningStats s = stats.value();
        if (s == null) {
            s = new RunningStats();
        }
        ScoreHistogram hist = histogram.value();
        if (hist == null) {
            hist = new ScoreHistogram();
        }
        AnomalyRecord r = new AnomalyRecord();
        r.key = scored.key;
        r.topic = line.topic;
        r.partition = line.partition;
        r.offset = line.offset;
        r.timestamp = line.timestamp;
        r.line = BoundedText.forJson(line.text, BoundedText.LINE_JSON_BYTES);
        r.lineTruncated = line.text != null && r.line.length() < line.text.length();
        r.valueBytes = line.valueBytes;
        r.tokens = scored.tokens;
        r.truncated = line.truncated || scored.truncated;
        r.invalidUtf8 = line.invalidUtf8;
        r.defaultKey = line.defaultKey;
        r.meanSurprisal = orNull(scored.meanSurprisal);
        r.maxSurprisal = orNull(scored.maxSurprisal);
        r.history = s.count;
        r.historyMean = s.count == 0 ? null : s.mean;
        r.historyStd = s.count < 2 ? null : s.std();
        double z = s.zScore(scored.meanSurprisal, settings.minHistory());
        r.zScore = orNull(z);
        double exceedance = hist.exceedance(scored.meanSurprisal, settings.minHistory());
        r.exceedance = orNull(exceedance);
        r.anomaly = settings.flags(z, exceedance);
        r.surprisingTokens = surprisingTokens(line, scored);
        r.tokensSeen = scored.tokensSeen;
        if (!Double.isNaN(scored.meanSurprisal)) {
            s.add(scored.meanSurprisal, settings.memory());
            stats.update(s);
            hist.add(scored.meanSurprisal);
            histogram.update(hist);
        }
        if (r.anomaly) {
            anomalies.inc();
        }
        out.collect(r);
    }

    /**
     * The text behind each top token (at most {@link BoundedText#TOKEN_JSON_BYTES} of it); the line separator shows
     * as itself. The line is tokenized as the parser tokenized it (at most linnet.record.max-bytes of it), so the
     * positions match; a record never fails over a span: one that cannot be found is left out.
     */
    private List<SurprisingToken> surprisingTokens(LogLine line, ScoredRecord scored) {
        List<SurprisingToken> top = new ArrayList<>();
        if (scored.topPositions == null || scored.topPositions.length == 0 || line.text == null) {
            return top;
        }
        String text = line.text + separator;
        TokenizedText tokens;
        try {
            tokens = tokenizer.encode(text);
        } catch (RuntimeException e) {
            return top;
        }
        for (int i = 0; i < scored.topPositions.length; i++) {
            int p = scored.topPositions[i];
            if (p < 0 || p >= tokens.size()) {
                continue; // cannot happen for a line tokenized the same way
            }
            int start = tokens.starts()[p];
            int end = Math.max(start, tokens.ends()[p]);
            if (start < 0 || end > text.length()) {
                continue;
            }
            String token = BoundedText.forJson(text.substring(start, end), BoundedText.TOKEN_JSON_BYTES);
            top.add(new SurprisingToken(start, end, token, scored.topSurprisals[i]));
        }
        return top;
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
