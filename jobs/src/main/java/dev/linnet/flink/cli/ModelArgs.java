package dev.linnet.flink.cli;

import dev.linnet.engine.state.StatePrecision;
import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.ScorerTuning;
import dev.linnet.flink.operator.LinnetOptions;
import dev.linnet.flink.operator.StateLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import picocli.CommandLine.Option;

/**
 * Which model, and how the scorer batches, caches and keeps state. A flag left out is null here, and the setting
 * then comes from the job's configuration ({@code linnet.*}: the cluster's config.yaml, a FlinkDeployment's
 * flinkConfiguration, {@code -D} on submission), else the option's default.
 */
public final class ModelArgs {

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description = "Checkpoint directory (config.json, *.safetensors, tokenizer.json); on a cluster it must "
                    + "exist at this path on every TaskManager. Default: linnet.model.path of the job's "
                    + "configuration on a cluster, else the bundled default model, or a stand-in model with random weights when this build has none "
                    + "(the run says which).")
    Path model;

    @Option(
            names = "--batch-max-tokens",
            paramLabel = "N",
            description = "Tokens (across keys) buffered before a batched model call. Default: the configuration's "
                    + "linnet.batch.max-tokens, else 4096.")
    Integer batchMaxTokens;

    @Option(
            names = "--batch-max-delay",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Longest a record waits for a model call. Default: the configuration's "
                    + "linnet.batch.max-delay, else 50ms.")
    Duration batchMaxDelay;

    @Option(
            names = "--top-tokens",
            paramLabel = "K",
            description = "How many of a line's most surprising tokens to report. Default: the configuration's "
                    + "linnet.output.top-k, else 3.")
    Integer topTokens;

    @Option(
            names = "--state-precision",
            paramLabel = "P",
            converter = EnumConverter.StatePrecisionConverter.class,
            description = "float32 or bfloat16 (half the state bytes). Default: the configuration's "
                    + "linnet.state.precision, else float32.")
    StatePrecision statePrecision;

    @Option(
            names = "--state-layout",
            paramLabel = "L",
            converter = EnumConverter.StateLayoutConverter.class,
            description = "whole (each flush rewrites a key's state) or paged (a flush writes the pages it changed)."
                    + " Default: the configuration's linnet.state.layout, else whole.")
    StateLayout stateLayout;

    @Option(
            names = "--cache-max-states",
            paramLabel = "N",
            description = "Decoded stream states each scorer subtask keeps in memory (heap: N times the decoded "
                    + "state size). Default: the configuration's linnet.cache.max-states, else 1024.")
    Integer cacheMaxStates;

    @Option(
            names = "--state-ttl",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Forget a key (its model state and its history) after it has logged nothing for this long "
                    + "(processing time). Default: the configuration's linnet.state.ttl, else never.")
    Duration stateTtl;

    /** The model directory given, else the bundled default model, else the stand-in. */
    public ModelChoice resolve() throws IOException {
        return ModelChoice.resolve(model);
    }

    /** The batch size in tokens: --batch-max-tokens, else {@code config}'s, else the default. */
    public int batchMaxTokens(ReadableConfig config) {
        return given(batchMaxTokens, config, LinnetOptions.BATCH_MAX_TOKENS);
    }

    /** The longest wait for a model call: --batch-max-delay, else {@code config}'s, else the default. */
    public Duration batchMaxDelay(ReadableConfig config) {
        return given(batchMaxDelay, config, LinnetOptions.BATCH_MAX_DELAY);
    }

    /** The batch size in tokens: --batch-max-tokens, else the default. */
    public int batchMaxTokens() {
        return batchMaxTokens(new Configuration());
    }

    /** The longest wait for a model call: --batch-max-delay, else the default. */
    public Duration batchMaxDelay() {
        return batchMaxDelay(new Configuration());
    }

    /**
     * The scorer settings for {@code choice}: each flag when given, else {@code config}'s {@code linnet.*} option,
     * else the option's default. The window bound and the model-change policy have no flag.
     */
    public ScorerTuning tuning(ModelChoice choice, ReadableConfig config) {
        return new ScorerTuning(
                choice.dir().toString(),
                config.get(LinnetOptions.WINDOW_BOUND),
                batchMaxTokens(config),
                batchMaxDelay(config),
                given(topTokens, config, LinnetOptions.TOP_K),
                given(statePrecision, config, LinnetOptions.STATE_PRECISION),
                given(cacheMaxStates, config, LinnetOptions.CACHE_MAX_STATES),
                stateTtl != null
                        ? stateTtl
                        : config.getOptional(LinnetOptions.STATE_TTL).orElse(null),
                config.get(LinnetOptions.ON_MODEL_CHANGE),
                given(stateLayout, config, LinnetOptions.STATE_LAYOUT));
    }

    /** As {@link #tuning(ModelChoice, ReadableConfig)}, without a configuration: flags, else defaults. */
    public ScorerTuning tuning(ModelChoice choice) {
        return tuning(choice, new Configuration());
    }

    private static <T> T given(T flag, ReadableConfig config, ConfigOption<T> option) {
        return flag != null ? flag : config.get(option);
    }
}
