package dev.linnet.flink.sql;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.flink.operator.LinnetMetrics;
import dev.linnet.flink.operator.OverLengthPolicy;
import dev.linnet.flink.operator.RejectReason;
import java.util.Arrays;
import org.apache.flink.table.functions.FunctionContext;

/**
 * One text through the model on an empty state: what the stateless functions (the scalar ones and
 * ML_PREDICT) compute. Texts longer than {@code linnet.record.max-tokens} are cut (TRUNCATE) or not scored
 * (REJECT); a text that is not scored gives null. It holds the function's reference to the shared model and
 * gives it back on {@link #close}.
 */
final class StatelessText implements AutoCloseable {

    private final ScoringModel scoring;
    private final SqlSettings settings;
    private final LinnetMetrics metrics;

    private StatelessText(ScoringModel scoring, SqlSettings settings, LinnetMetrics metrics) {
        this.scoring = scoring;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Opens the model of {@code settings} and the function's metrics: a function's open(). */
    static StatelessText open(SqlSettings settings, FunctionContext context, String function) {
        return new StatelessText(
                ScoringModel.open(settings, context, function), settings, new LinnetMetrics(context.getMetricGroup()));
    }

    @Override
    public void close() {
        scoring.close();
    }

    /** The model's result for {@code text} from an empty state, with the tokens it read; null when not scored. */
    Scored score(String text) {
        if (text == null || text.isEmpty()) {
            metrics.rejected(RejectReason.EMPTY).inc();
            return null;
        }
        TextTokens tokens = scoring.tokenize(text);
        int n = tokens.size();
        if (n == 0) {
            metrics.rejected(RejectReason.EMPTY).inc();
            return null;
        }
        boolean truncated = false;
        if (n > settings.maxTokensPerRecord()) {
            if (settings.overLength() == OverLengthPolicy.REJECT) {
                metrics.rejected(RejectReason.TOO_LONG).inc();
                return null;
            }
            n = settings.maxTokensPerRecord();
            truncated = true;
            metrics.truncated.inc();
        }
        int[] chunk = n == tokens.size() ? tokens.ids() : Arrays.copyOf(tokens.ids(), n);
        metrics.recordsIn.inc();
        metrics.tokensIn.inc(n);
        long start = System.nanoTime();
        ChunkResult r = scoring.model().forward(scoring.model().newState(), chunk, ForwardOptions.DEFAULT);
        metrics.modelLatencyMs.update((System.nanoTime() - start) / 1_000_000);
        return new Scored(tokens, n, truncated, r);
    }

    /** A scored text: its tokens, how many went through the model, and the model's result. */
    record Scored(TextTokens tokens, int scoredTokens, boolean truncated, ChunkResult result) {}
}
