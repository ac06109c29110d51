package dev.linnet.flink.operator;

import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.state.StatePrecision;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * The scorer's settings as Flink {@link ConfigOption}s, so they can come from the job's configuration
 * ({@code -D linnet.batch.max-tokens=8192}, config.yaml, or SQL {@code SET}). {@link LinnetScorer.Builder}
 * reads them with {@code fromConfiguration} and its own setters override them.
 */
@PublicEvolving
public final class LinnetOptions {

    private LinnetOptions() {}

    public static final ConfigOption<String> MODEL_PATH = ConfigOptions.key("linnet.model.path")
            .stringType()
            .noDefaultValue()
            .withDescription("Directory of the Hugging Face checkpoint (config.json and *.safetensors). It must exist "
                    + "on every TaskManager; it is loaded once per TaskManager JVM and job, shared by all slots.");

    public static final ConfigOption<Integer> WINDOW_BOUND = ConfigOptions.key("linnet.model.window-bound")
            .intType()
            .defaultValue(LoadOptions.DEFAULT_WINDOW_BOUND)
            .withDescription("Positions the softmax layers look back over when config.json sets no sliding_window "
                    + "(a fixed-size state needs a bound). Ignored when the checkpoint sets one.");

    public static final ConfigOption<Integer> MAX_TOKENS_PER_RECORD = ConfigOptions.key("linnet.record.max-tokens")
            .intType()
            .defaultValue(1024)
            .withDescription("Most tokens of one record that go through the model; see linnet.record.over-length.");

    public static final ConfigOption<MemorySize> MAX_BYTES_PER_RECORD = ConfigOptions.key("linnet.record.max-bytes")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(1))
            .withDescription("Most bytes of one record's value that are decoded and tokenized (the ready jobs: of a "
                    + "Kafka record's value). A longer value is cut to this many bytes, at a character boundary, "
                    + "before anything else reads it; the jobs score the cut prefix, flag it and write a dead letter.");

    public static final ConfigOption<OverLengthPolicy> OVER_LENGTH = ConfigOptions.key("linnet.record.over-length")
            .enumType(OverLengthPolicy.class)
            .defaultValue(OverLengthPolicy.TRUNCATE)
            .withDescription("TRUNCATE keeps the first max-tokens tokens and flags the output; REJECT sends the "
                    + "record to the rejected side output.");

    public static final ConfigOption<Integer> BATCH_MAX_TOKENS = ConfigOptions.key("linnet.batch.max-tokens")
            .intType()
            .defaultValue(4096)
            .withDescription("Buffered tokens (across keys) that trigger a model call; also the most tokens in one "
                    + "batched model call (a single longer record goes alone).");

    public static final ConfigOption<Duration> BATCH_MAX_DELAY = ConfigOptions.key("linnet.batch.max-delay")
            .durationType()
            .defaultValue(Duration.ofMillis(50))
            .withDescription("Longest a record waits in the buffer before a model call (processing time). "
                    + "Checkpoints and end of input flush the buffer too.");

    public static final ConfigOption<Integer> CACHE_MAX_STATES = ConfigOptions.key("linnet.cache.max-states")
            .intType()
            .defaultValue(1024)
            .withDescription("Decoded stream states kept in operator memory between flushes (least recently used "
                    + "go first). Each is written to Flink state once per flush in which its stream advanced.");

    public static final ConfigOption<StatePrecision> STATE_PRECISION = ConfigOptions.key("linnet.state.precision")
            .enumType(StatePrecision.class)
            .defaultValue(StatePrecision.FLOAT32)
            .withDescription("FLOAT32 stores states exactly; BFLOAT16 halves state bytes (states are rounded after "
                    + "every record, so results stay deterministic across restores but differ slightly from FLOAT32).");

    public static final ConfigOption<StateLayout> STATE_LAYOUT = ConfigOptions.key("linnet.state.layout")
            .enumType(StateLayout.class)
            .defaultValue(StateLayout.WHOLE)
            .withDescription("WHOLE keeps a stream's state as one value, rewritten whole after each flush; PAGED "
                    + "keeps it as pages and writes only those a flush changed (a fraction of the bytes with a "
                    + "softmax window and a history); it pays where keys stay in the scorer's cache, while keys "
                    + "that miss it read many page entries on each miss. A restore in either layout reads states "
                    + "stored in the other and rewrites them in its own.");

    public static final ConfigOption<Duration> STATE_TTL = ConfigOptions.key("linnet.state.ttl")
            .durationType()
            .noDefaultValue()
            .withDescription("Forget a stream's state after it has not been written for this long (Flink state TTL); "
                    + "unset keeps states forever.");

    public static final ConfigOption<ModelChangePolicy> ON_MODEL_CHANGE = ConfigOptions.key(
                    "linnet.state.on-model-change")
            .enumType(ModelChangePolicy.class)
            .defaultValue(ModelChangePolicy.FAIL)
            .withDescription("When a job restores state written under another model: FAIL stops with a message "
                    + "naming both models; RESET starts every restored stream from an empty state and counts them "
                    + "in linnet.numStreamsReset.");

    public static final ConfigOption<Integer> TOP_K = ConfigOptions.key("linnet.output.top-k")
            .intType()
            .defaultValue(3)
            .withDescription("How many of a record's most surprising tokens the output lists.");

    public static final ConfigOption<Boolean> EMIT_EMBEDDING = ConfigOptions.key("linnet.output.embedding")
            .booleanType()
            .defaultValue(false)
            .withDescription("Include the final hidden state (hidden-size floats) in every output record.");
}
