package dev.linnet.flink.jobs;

import dev.linnet.engine.state.StatePrecision;
import dev.linnet.flink.operator.LinnetOptions;
import dev.linnet.flink.operator.LinnetScorer;
import dev.linnet.flink.operator.ModelChangePolicy;
import dev.linnet.flink.operator.OverLengthPolicy;
import dev.linnet.flink.operator.StateLayout;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The scorer settings the jobs apply, each one a {@link LinnetOptions} option; the job's command line makes them
 * from its flags, the job's configuration and the options' defaults ({@code dev.linnet.flink.cli.ModelArgs}). The
 * record's length limit and policy are the parser's ({@link LineParseSettings#maxTokens()}, always truncated and
 * flagged), and whether outputs carry embeddings is the job's: neither is here.
 *
 * @param modelDir       checkpoint directory, which must exist at this path on every TaskManager
 * @param windowBound    {@code linnet.model.window-bound}: positions the softmax layers look back over when the
 *                       checkpoint sets no {@code sliding_window}
 * @param batchMaxTokens {@code linnet.batch.max-tokens}
 * @param batchMaxDelay  {@code linnet.batch.max-delay}
 * @param topK           {@code linnet.output.top-k}, at most {@link #MAX_TOP_K}
 * @param statePrecision {@code linnet.state.precision}
 * @param cacheMaxStates {@code linnet.cache.max-states}
 * @param stateTtl       {@code linnet.state.ttl}: a stream not written for this long is forgotten; null: never
 * @param onModelChange  {@code linnet.state.on-model-change}
 * @param stateLayout    {@code linnet.state.layout}
 */
public record ScorerTuning(
        String modelDir,
        int windowBound,
        int batchMaxTokens,
        Duration batchMaxDelay,
        int topK,
        StatePrecision statePrecision,
        int cacheMaxStates,
        Duration stateTtl,
        ModelChangePolicy onModelChange,
        StateLayout stateLayout)
        implements Serializable {

    /** Most surprising tokens a scored line lists: an output record must fit one Kafka record. */
    public static final int MAX_TOP_K = 100;

    public ScorerTuning {
        if (modelDir == null || modelDir.isBlank()) {
            throw new IllegalArgumentException("no model directory");
        }
        if (windowBound < 1) {
            throw new IllegalArgumentException(
                    LinnetOptions.WINDOW_BOUND.key() + " must be at least 1, got " + windowBound);
        }
        if (batchMaxTokens < 1) {
            throw new IllegalArgumentException("--batch-max-tokens (" + LinnetOptions.BATCH_MAX_TOKENS.key()
                    + ") must be at least 1, got " + batchMaxTokens);
        }
        if (batchMaxDelay == null || batchMaxDelay.isNegative()) {
            throw new IllegalArgumentException("--batch-max-delay (" + LinnetOptions.BATCH_MAX_DELAY.key()
                    + ") must not be negative, got " + batchMaxDelay);
        }
        if (topK < 0 || topK > MAX_TOP_K) {
            throw new IllegalArgumentException("--top-tokens (" + LinnetOptions.TOP_K.key() + ") must be between 0 and "
                    + MAX_TOP_K + ", got " + topK);
        }
        Objects.requireNonNull(statePrecision, "statePrecision");
        if (cacheMaxStates < 1) {
            throw new IllegalArgumentException("--cache-max-states (" + LinnetOptions.CACHE_MAX_STATES.key()
                    + ") must be at least 1, got " + cacheMaxStates);
        }
        if (stateTtl != null && (stateTtl.isZero() || stateTtl.isNegative())) {
            throw new IllegalArgumentException(
                    "--state-ttl (" + LinnetOptions.STATE_TTL.key() + ") must be positive, got " + stateTtl);
        }
        Objects.requireNonNull(onModelChange, "onModelChange");
        Objects.requireNonNull(stateLayout, "stateLayout");
    }

    /** These batching, top-k and precision settings; the rest at their options' defaults. */
    public ScorerTuning(
            String modelDir, int batchMaxTokens, Duration batchMaxDelay, int topK, StatePrecision statePrecision) {
        this(
                modelDir,
                LinnetOptions.WINDOW_BOUND.defaultValue(),
                batchMaxTokens,
                batchMaxDelay,
                topK,
                statePrecision,
                LinnetOptions.CACHE_MAX_STATES.defaultValue(),
                null,
                LinnetOptions.ON_MODEL_CHANGE.defaultValue(),
                LinnetOptions.STATE_LAYOUT.defaultValue());
    }

    /** Every setting from {@code config}'s {@code linnet.*} options, else their defaults. */
    public static ScorerTuning fromConfiguration(Path modelDir, ReadableConfig config) {
        return new ScorerTuning(
                modelDir.toString(),
                config.get(LinnetOptions.WINDOW_BOUND),
                config.get(LinnetOptions.BATCH_MAX_TOKENS),
                config.get(LinnetOptions.BATCH_MAX_DELAY),
                config.get(LinnetOptions.TOP_K),
                config.get(LinnetOptions.STATE_PRECISION),
                config.get(LinnetOptions.CACHE_MAX_STATES),
                config.getOptional(LinnetOptions.STATE_TTL).orElse(null),
                config.get(LinnetOptions.ON_MODEL_CHANGE),
                config.get(LinnetOptions.STATE_LAYOUT));
    }

    /** Every setting at its option's default. */
    public static ScorerTuning defaults(Path modelDir) {
        return fromConfiguration(modelDir, new Configuration());
    }

    /** The scorer for records of at most {@code maxTokens} tokens (the parser has already truncated them). */
    public LinnetScorer scorer(int maxTokens, boolean emitEmbedding) {
        return LinnetScorer.builder()
                .model(Path.of(modelDir))
                .windowBound(windowBound)
                .maxTokensPerRecord(maxTokens, OverLengthPolicy.TRUNCATE)
                .batchMaxTokens(batchMaxTokens)
                .batchMaxDelay(batchMaxDelay)
                .topK(topK)
                .statePrecision(statePrecision)
                .cacheMaxStates(cacheMaxStates)
                .stateTtl(stateTtl)
                .onModelChange(onModelChange)
                .stateLayout(stateLayout)
                .emitEmbedding(emitEmbedding)
                .build();
    }
}
