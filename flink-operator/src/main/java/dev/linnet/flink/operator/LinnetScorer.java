package dev.linnet.flink.operator;

import dev.linnet.engine.state.StatePrecision;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * The DataStream entry point: scores every record of every stream with the model, keeping each stream's
 * state in Flink keyed state.
 *
 * <pre>{@code
 * LinnetScorer scorer = LinnetScorer.builder()
 *         .model(Path.of("/models/minimax-tiny"))
 *         .batchMaxTokens(4096)
 *         .batchMaxDelay(Duration.ofMillis(50))
 *         .build();
 * SingleOutputStreamOperator<ScoredRecord> scored = scorer.apply(records.keyBy(ScorerInput::getKey));
 * DataStream<RejectedRecord> rejected = scored.getSideOutput(LinnetScorer.REJECTED);
 * }</pre>
 *
 * Defaults are those of {@link LinnetOptions}; {@link Builder#fromConfiguration} takes them from a Flink
 * configuration first. The operator's uid is {@code linnet-encoder} unless set: keep it stable so savepoints
 * restore (it keeps the operator's earlier name, under which existing savepoints hold its state).
 */
@PublicEvolving
public final class LinnetScorer {

    /** Records that were not scored, with the reason. */
    public static final OutputTag<RejectedRecord> REJECTED =
            new OutputTag<>("linnet-rejected", TypeInformation.of(RejectedRecord.class));

    private final ScorerSettings settings;
    private final String uid;
    private final String name;

    private LinnetScorer(ScorerSettings settings, String uid, String name) {
        this.settings = settings;
        this.uid = uid;
        this.name = name;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ScorerSettings settings() {
        return settings;
    }

    /** Adds the scorer after {@code keyBy}; the stream must be keyed by the records' stream key. */
    public SingleOutputStreamOperator<ScoredRecord> apply(KeyedStream<ScorerInput, ?> keyed) {
        return keyed.transform(name, TypeInformation.of(ScoredRecord.class), new ScoreOperator(settings))
                .uid(uid);
    }

    /** Keys {@code records} by {@link ScorerInput#key} and adds the scorer. */
    public SingleOutputStreamOperator<ScoredRecord> apply(DataStream<ScorerInput> records) {
        return apply(records.keyBy(ScorerInput::getKey));
    }

    /** Settings start at {@link LinnetOptions}' defaults. */
    public static final class Builder {
        private String modelPath;
        private int windowBound = LinnetOptions.WINDOW_BOUND.defaultValue();
        private int maxTokensPerRecord = LinnetOptions.MAX_TOKENS_PER_RECORD.defaultValue();
        private OverLengthPolicy overLength = LinnetOptions.OVER_LENGTH.defaultValue();
        private int batchMaxTokens = LinnetOptions.BATCH_MAX_TOKENS.defaultValue();
        private Duration batchMaxDelay = LinnetOptions.BATCH_MAX_DELAY.defaultValue();
        private int cacheMaxStates = LinnetOptions.CACHE_MAX_STATES.defaultValue();
        private StatePrecision statePrecision = LinnetOptions.STATE_PRECISION.defaultValue();
        private StateLayout stateLayout = LinnetOptions.STATE_LAYOUT.defaultValue();
        private Duration stateTtl;
        private ModelChangePolicy onModelChange = LinnetOptions.ON_MODEL_CHANGE.defaultValue();
        private int topK = LinnetOptions.TOP_K.defaultValue();
        private boolean emitEmbedding = LinnetOptions.EMIT_EMBEDDING.defaultValue();
        /** The state's home in savepoints: never changed, whatever the classes are called. */
        private String uid = "linnet-encoder";

        private String name = "Linnet scorer";

        private Builder() {}

        /** Takes every {@code linnet.*} option present in {@code config}; later setters override. */
        public Builder fromConfiguration(ReadableConfig config) {
            config.getOptional(LinnetOptions.MODEL_PATH).ifPresent(v -> modelPath = v);
            config.getOptional(LinnetOptions.WINDOW_BOUND).ifPresent(v -> windowBound = v);
            config.getOptional(LinnetOptions.MAX_TOKENS_PER_RECORD).ifPresent(v -> maxTokensPerRecord = v);
            config.getOptional(LinnetOptions.OVER_LENGTH).ifPresent(v -> overLength = v);
            config.getOptional(LinnetOptions.BATCH_MAX_TOKENS).ifPresent(v -> batchMaxTokens = v);
            config.getOptional(LinnetOptions.BATCH_MAX_DELAY).ifPresent(v -> batchMaxDelay = v);
            config.getOptional(LinnetOptions.CACHE_MAX_STATES).ifPresent(v -> cacheMaxStates = v);
            config.getOptional(LinnetOptions.STATE_PRECISION).ifPresent(v -> statePrecision = v);
            config.getOptional(LinnetOptions.STATE_LAYOUT).ifPresent(v -> stateLayout = v);
            config.getOptional(LinnetOptions.STATE_TTL).ifPresent(v -> stateTtl = v);
            config.getOptional(LinnetOptions.ON_MODEL_CHANGE).ifPresent(v -> onModelChange = v);
            config.getOptional(LinnetOptions.TOP_K).ifPresent(v -> topK = v);
            config.getOptional(LinnetOptions.EMIT_EMBEDDING).ifPresent(v -> emitEmbedding = v);
            return this;
        }

        /** The checkpoint directory; it must exist at this path on every TaskManager. */
        public Builder model(Path checkpointDir) {
            this.modelPath = checkpointDir.toString();
            return this;
        }

        public Builder windowBound(int positions) {
            this.windowBound = positions;
            return this;
        }

        public Builder maxTokensPerRecord(int tokens, OverLengthPolicy policy) {
            this.maxTokensPerRecord = tokens;
            this.overLength = policy;
            return this;
        }

        public Builder batchMaxTokens(int tokens) {
            this.batchMaxTokens = tokens;
            return this;
        }

        public Builder batchMaxDelay(Duration delay) {
            this.batchMaxDelay = delay;
            return this;
        }

        public Builder cacheMaxStates(int states) {
            this.cacheMaxStates = states;
            return this;
        }

        public Builder statePrecision(StatePrecision precision) {
            this.statePrecision = precision;
            return this;
        }

        /** WHOLE (default) or PAGED: how a stream's state is kept in Flink state. */
        public Builder stateLayout(StateLayout layout) {
            this.stateLayout = layout;
            return this;
        }

        /** Forget streams idle (not written) this long; null for never. */
        public Builder stateTtl(Duration ttl) {
            this.stateTtl = ttl;
            return this;
        }

        /** FAIL (default) or RESET streams restored from state of another model. */
        public Builder onModelChange(ModelChangePolicy policy) {
            this.onModelChange = policy;
            return this;
        }

        public Builder topK(int k) {
            this.topK = k;
            return this;
        }

        public Builder emitEmbedding(boolean emit) {
            this.emitEmbedding = emit;
            return this;
        }

        /** The operator's uid (what savepoints are matched by). */
        public Builder uid(String uid) {
            this.uid = uid;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is missing or out of range */
        public LinnetScorer build() {
            if (uid == null || uid.isBlank()) {
                throw new IllegalArgumentException("the scorer's uid must not be blank");
            }
            return new LinnetScorer(
                    new ScorerSettings(
                            modelPath,
                            windowBound,
                            maxTokensPerRecord,
                            overLength,
                            batchMaxTokens,
                            batchMaxDelay,
                            cacheMaxStates,
                            statePrecision,
                            stateLayout,
                            stateTtl,
                            onModelChange,
                            topK,
                            emitEmbedding),
                    uid,
                    name);
        }
    }
}
