package dev.linnet.flink.cli;

import dev.linnet.engine.state.StatePrecision;
import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.ScorerTuning;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Which model, and how the scorer batches. */
public final class ModelArgs {

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description = "Checkpoint directory (config.json, *.safetensors, tokenizer.json); on a cluster it must "
                    + "exist at this path on every TaskManager. Default: the bundled default model, or a stand-in "
                    + "model with random weights when this build has none (the run says which).")
    Path model;

    @Option(
            names = "--batch-max-tokens",
            paramLabel = "N",
            defaultValue = "4096",
            description = "Tokens (across keys) buffered before a batched model call. Default: ${DEFAULT-VALUE}.")
    int batchMaxTokens;

    @Option(
            names = "--batch-max-delay",
            paramLabel = "DURATION",
            defaultValue = "50ms",
            converter = DurationConverter.class,
            description = "Longest a record waits for a model call. Default: ${DEFAULT-VALUE}.")
    Duration batchMaxDelay;

    @Option(
            names = "--top-tokens",
            paramLabel = "K",
            defaultValue = "3",
            description = "How many of a line's most surprising tokens to report. Default: ${DEFAULT-VALUE}.")
    int topTokens;

    @Option(
            names = "--state-precision",
            paramLabel = "P",
            defaultValue = "float32",
            converter = EnumConverter.StatePrecisionConverter.class,
            description = "float32 or bfloat16 (half the state bytes). Default: ${DEFAULT-VALUE}.")
    StatePrecision statePrecision;

    /** The model directory given, else the bundled default model, else the stand-in. */
    public ModelChoice resolve() throws IOException {
        return ModelChoice.resolve(model);
    }

    public int batchMaxTokens() {
        return batchMaxTokens;
    }

    public Duration batchMaxDelay() {
        return batchMaxDelay;
    }

    public ScorerTuning tuning(ModelChoice choice) {
        return new ScorerTuning(choice.dir().toString(), batchMaxTokens, batchMaxDelay, topTokens, statePrecision);
    }
}
