package dev.linnet.flink.operator;

import dev.linnet.engine.state.StatePrecision;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * The scorer's settings, validated, as they travel with the operator to the TaskManagers.
 * Made by {@link LinnetScorer.Builder}; the meaning of each is documented on {@link LinnetOptions}.
 */
@Internal
public final class ScorerSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    final String modelPath;
    final int windowBound;
    final int maxTokensPerRecord;
    final OverLengthPolicy overLength;
    final int batchMaxTokens;
    final long batchMaxDelayMillis;
    final int cacheMaxStates;
    final StatePrecision statePrecision;
    final StateLayout stateLayout;
    /** Null: no TTL. */
    final Duration stateTtl;

    final ModelChangePolicy onModelChange;
    final int topK;
    final boolean emitEmbedding;

    ScorerSettings(
            String modelPath,
            int windowBound,
            int maxTokensPerRecord,
            OverLengthPolicy overLength,
            int batchMaxTokens,
            Duration batchMaxDelay,
            int cacheMaxStates,
            StatePrecision statePrecision,
            StateLayout stateLayout,
            Duration stateTtl,
            ModelChangePolicy onModelChange,
            int topK,
            boolean emitEmbedding) {
        if (modelPath == null || modelPath.isBlank()) {
            throw new IllegalArgumentException(
                    "no model: set the checkpoint directory with model(...) or " + LinnetOptions.MODEL_PATH.key());
        }
        requirePositive(LinnetOptions.WINDOW_BOUND.key(), windowBound);
        requirePositive(LinnetOptions.MAX_TOKENS_PER_RECORD.key(), maxTokensPerRecord);
        requirePositive(LinnetOptions.BATCH_MAX_TOKENS.key(), batchMaxTokens);
        requirePositive(LinnetOptions.CACHE_MAX_STATES.key(), cacheMaxStates);
        if (topK < 0) {
            throw new IllegalArgumentException(LinnetOptions.TOP_K.key() + " must be >= 0, got " + topK);
        }
        Objects.requireNonNull(batchMaxDelay, LinnetOptions.BATCH_MAX_DELAY.key());
        if (batchMaxDelay.isNegative()) {
            throw new IllegalArgumentException(
                    LinnetOptions.BATCH_MAX_DELAY.key() + " must not be negative, got " + batchMaxDelay);
        }
        if (stateTtl != null && (stateTtl.isZero() || stateTtl.isNegative())) {
            throw new IllegalArgumentException(LinnetOptions.STATE_TTL.key() + " must be positive, got " + stateTtl);
        }
        this.modelPath = modelPath;
        this.windowBound = windowBound;
        this.maxTokensPerRecord = maxTokensPerRecord;
        this.overLength = Objects.requireNonNull(overLength, LinnetOptions.OVER_LENGTH.key());
        this.batchMaxTokens = batchMaxTokens;
        this.batchMaxDelayMillis = batchMaxDelay.toMillis();
        this.cacheMaxStates = cacheMaxStates;
        this.statePrecision = Objects.requireNonNull(statePrecision, LinnetOptions.STATE_PRECISION.key());
        this.stateLayout = Objects.requireNonNull(stateLayout, LinnetOptions.STATE_LAYOUT.key());
        this.stateTtl = stateTtl;
        this.onModelChange = Objects.requireNonNull(onModelChange, LinnetOptions.ON_MODEL_CHANGE.key());
        this.topK = topK;
        this.emitEmbedding = emitEmbedding;
    }

    private static void requirePositive(String key, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
    }

    @Override
    public String toString() {
        return "model=" + modelPath + ", windowBound=" + windowBound + ", maxTokensPerRecord=" + maxTokensPerRecord
                + " (" + overLength + "), batch=" + batchMaxTokens + " tokens/" + batchMaxDelayMillis + " ms, cache="
                + cacheMaxStates + " states, state=" + statePrecision + (stateTtl == null ? "" : " ttl " + stateTtl)
                + ", on model change " + onModelChange
                + ", topK=" + topK + (emitEmbedding ? ", embedding" : "");
    }
}
