package dev.linnet.flink.sql;

import dev.linnet.engine.state.StatePrecision;
import dev.linnet.flink.operator.LinnetOptions;
import dev.linnet.flink.operator.ModelChangePolicy;
import dev.linnet.flink.operator.OverLengthPolicy;
import java.io.Serializable;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;

/**
 * What a Linnet SQL function was planned with: the session's {@code linnet.*} options, overridden by the
 * arguments of the call. Validated when made (at planning, so a bad value fails the statement, not the job),
 * and serializable: it travels inside the function to the TaskManagers. Sizes a session sets have upper bounds
 * (the {@code MAX_*} constants); paths must be absolute, and the TaskManagers use them only under their
 * {@code linnet.model.allowed-dirs}.
 *
 * @param modelPath          checkpoint directory (absolute), or null (or {@code 'default'}) for the model bundled in
 *                           the jar
 * @param tokenizerPath      tokenizer.json (absolute), or null for the one in the model's directory
 * @param windowBound        softmax window when the checkpoint sets none
 * @param maxTokensPerRecord most tokens of one text that go through the model
 * @param overLength         what happens to a longer text
 * @param cacheMaxStates     decoded stream states kept in memory per function instance (the PTF)
 * @param statePrecision     how the PTF stores stream states
 * @param stateTtl           the PTF forgets streams not written for this long; null: table.exec.state.ttl decides
 * @param onModelChange      what the PTF does with a stream state written under another model
 * @param topK               most surprising tokens listed per text
 * @param emitEmbedding      whether the PTF fills its embedding column
 */
@Internal
public record SqlSettings(
        String modelPath,
        String tokenizerPath,
        int windowBound,
        int maxTokensPerRecord,
        OverLengthPolicy overLength,
        int cacheMaxStates,
        StatePrecision statePrecision,
        Duration stateTtl,
        ModelChangePolicy onModelChange,
        int topK,
        boolean emitEmbedding)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The model path that names the default model bundled in the jar (as leaving the path unset does). */
    public static final String BUNDLED_MODEL = "default";

    /** Most positions a session may ask the softmax layers to look back over (linnet.model.window-bound). */
    public static final int MAX_WINDOW_BOUND = 65_536;
    /** Most tokens of one text a session may send through the model (linnet.record.max-tokens). */
    public static final int MAX_TOKENS_LIMIT = 8_192;
    /** Most decoded stream states a session may keep per function instance (linnet.cache.max-states). */
    public static final int MAX_CACHED_STATES = 4_096;
    /** Most surprising tokens a session may ask to list per text (linnet.output.top-k, top_k). */
    public static final int MAX_TOP_K = 1_024;

    public SqlSettings {
        modelPath = blankToNull(modelPath);
        if (BUNDLED_MODEL.equals(modelPath)) {
            modelPath = null;
        }
        tokenizerPath = blankToNull(tokenizerPath);
        requireAbsolute(LinnetOptions.MODEL_PATH.key(), modelPath, " or '" + BUNDLED_MODEL + "' (the bundled model)");
        requireAbsolute(LinnetSqlOptions.TOKENIZER_PATH.key(), tokenizerPath, "");
        requireBetween(LinnetOptions.WINDOW_BOUND.key(), windowBound, 1, MAX_WINDOW_BOUND);
        requireBetween(LinnetOptions.MAX_TOKENS_PER_RECORD.key(), maxTokensPerRecord, 1, MAX_TOKENS_LIMIT);
        requireBetween(LinnetOptions.CACHE_MAX_STATES.key(), cacheMaxStates, 1, MAX_CACHED_STATES);
        Objects.requireNonNull(overLength, LinnetOptions.OVER_LENGTH.key());
        Objects.requireNonNull(statePrecision, LinnetOptions.STATE_PRECISION.key());
        Objects.requireNonNull(onModelChange, LinnetOptions.ON_MODEL_CHANGE.key());
        if (stateTtl != null && (stateTtl.isZero() || stateTtl.isNegative())) {
            throw new IllegalArgumentException(LinnetOptions.STATE_TTL.key() + " must be positive, got " + stateTtl);
        }
        requireBetween(LinnetOptions.TOP_K.key() + " (top_k)", topK, 0, MAX_TOP_K);
    }

    /** The options' defaults, then whatever {@code config} sets. */
    public static SqlSettings from(ReadableConfig config) {
        return new SqlSettings(
                config.getOptional(LinnetOptions.MODEL_PATH).orElse(null),
                config.getOptional(LinnetSqlOptions.TOKENIZER_PATH).orElse(null),
                config.get(LinnetOptions.WINDOW_BOUND),
                config.get(LinnetOptions.MAX_TOKENS_PER_RECORD),
                config.get(LinnetOptions.OVER_LENGTH),
                config.get(LinnetOptions.CACHE_MAX_STATES),
                config.get(LinnetOptions.STATE_PRECISION),
                config.getOptional(LinnetOptions.STATE_TTL).orElse(null),
                config.get(LinnetOptions.ON_MODEL_CHANGE),
                config.get(LinnetOptions.TOP_K),
                config.get(LinnetOptions.EMIT_EMBEDDING));
    }

    /** With the model of a call's argument; null keeps the session's. */
    public SqlSettings withModelPath(String path) {
        return blankToNull(path) == null
                ? this
                : new SqlSettings(
                        path,
                        tokenizerPath,
                        windowBound,
                        maxTokensPerRecord,
                        overLength,
                        cacheMaxStates,
                        statePrecision,
                        stateTtl,
                        onModelChange,
                        topK,
                        emitEmbedding);
    }

    /** With the top-k of a call's argument; null keeps the session's. */
    public SqlSettings withTopK(Integer k) {
        return k == null
                ? this
                : new SqlSettings(
                        modelPath,
                        tokenizerPath,
                        windowBound,
                        maxTokensPerRecord,
                        overLength,
                        cacheMaxStates,
                        statePrecision,
                        stateTtl,
                        onModelChange,
                        k,
                        emitEmbedding);
    }

    /** With the embedding choice of a call's argument; null keeps the session's. */
    public SqlSettings withEmbedding(Boolean emit) {
        return emit == null
                ? this
                : new SqlSettings(
                        modelPath,
                        tokenizerPath,
                        windowBound,
                        maxTokensPerRecord,
                        overLength,
                        cacheMaxStates,
                        statePrecision,
                        stateTtl,
                        onModelChange,
                        topK,
                        emit);
    }

    /** Says which model, for messages. */
    public String describeModel() {
        return modelPath == null ? "the bundled default model" : "the model in " + modelPath;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void requireBetween(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + v);
        }
    }

    /** Paths are checked against the TaskManager's allowed directories; only an absolute one can be. */
    private static void requireAbsolute(String key, String path, String orElse) {
        if (path == null) {
            return;
        }
        boolean absolute;
        try {
            absolute = Path.of(path).isAbsolute();
        } catch (InvalidPathException e) {
            absolute = false;
        }
        if (!absolute) {
            throw new IllegalArgumentException(key + " must be an absolute path" + orElse + ", got '" + path + "'");
        }
    }
}
