package dev.linnet.flink.jobs;

import dev.linnet.engine.state.StatePrecision;
import dev.linnet.flink.operator.LinnetOptions;
import dev.linnet.flink.operator.LinnetScorer;
import dev.linnet.flink.operator.OverLengthPolicy;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The scorer settings the jobs expose on their command line; the rest keep {@link LinnetOptions}' defaults.
 *
 * @param modelDir checkpoint directory, which must exist at this path on every TaskManager
 */
public record ScorerTuning(
        String modelDir, int batchMaxTokens, Duration batchMaxDelay, int topK, StatePrecision statePrecision)
        implements Serializable {

    /** Most surprising tokens a scored line lists: an output record must fit one Kafka record. */
    public static final int MAX_TOP_K = 100;

    public ScorerTuning {
        if (modelDir == null || modelDir.isBlank()) {
            throw new IllegalArgumentException("no model directory");
        }
        if (batchMaxTokens < 1) {
            throw new IllegalArgumentException("--batch-max-tokens must be at least 1, got " + batchMaxTokens);
        }
        if (batchMaxDelay == null || batchMaxDelay.isNegative()) {
            throw new IllegalArgumentException("--batch-max-delay must not be negative, got " + batchMaxDelay);
        }
        if (topK < 0 || topK > MAX_TOP_K) {
            throw new IllegalArgumentException("--top-tokens must be between 0 and " + MAX_TOP_K + ", got " + topK);
        }
    }

    public static ScorerTuning defaults(Path modelDir) {
        return new ScorerTuning(
                modelDir.toString(),
                LinnetOptions.BATCH_MAX_TOKENS.defaultValue(),
                LinnetOptions.BATCH_MAX_DELAY.defaultValue(),
                LinnetOptions.TOP_K.defaultValue(),
                LinnetOptions.STATE_PRECISION.defaultValue());
    }

    /** The scorer for records of at most {@code maxTokens} tokens (the parser has already truncated them). */
    public LinnetScorer scorer(int maxTokens, boolean emitEmbedding) {
        return LinnetScorer.builder()
                .model(Path.of(modelDir))
                .maxTokensPerRecord(maxTokens, OverLengthPolicy.TRUNCATE)
                .batchMaxTokens(batchMaxTokens)
                .batchMaxDelay(batchMaxDelay)
                .topK(topK)
                .statePrecision(statePrecision)
                .emitEmbedding(emitEmbedding)
                .build();
    }
}
