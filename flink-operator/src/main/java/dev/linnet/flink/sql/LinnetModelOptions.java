package dev.linnet.flink.sql;

import dev.linnet.flink.operator.LinnetOptions;
import dev.linnet.flink.operator.OverLengthPolicy;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of {@code CREATE MODEL ... WITH ('provider' = 'linnet', ...)}: the session options' keys
 * without the {@code linnet.} prefix. An option left out takes the session's value ({@code linnet.*}),
 * then the default.
 */
@PublicEvolving
public final class LinnetModelOptions {

    private LinnetModelOptions() {}

    public static final ConfigOption<String> MODEL_PATH = ConfigOptions.key("model.path")
            .stringType()
            .noDefaultValue()
            .withDescription("Checkpoint directory; else " + LinnetOptions.MODEL_PATH.key()
                    + "; else the bundled default model.");

    public static final ConfigOption<String> TOKENIZER_PATH = ConfigOptions.key("tokenizer.path")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "tokenizer.json; else " + LinnetSqlOptions.TOKENIZER_PATH.key() + "; else the model directory's.");

    public static final ConfigOption<Integer> WINDOW_BOUND = ConfigOptions.key("model.window-bound")
            .intType()
            .noDefaultValue()
            .withDescription("As " + LinnetOptions.WINDOW_BOUND.key() + ".");

    public static final ConfigOption<Integer> MAX_TOKENS_PER_RECORD = ConfigOptions.key("record.max-tokens")
            .intType()
            .noDefaultValue()
            .withDescription("As " + LinnetOptions.MAX_TOKENS_PER_RECORD.key() + ".");

    public static final ConfigOption<OverLengthPolicy> OVER_LENGTH = ConfigOptions.key("record.over-length")
            .enumType(OverLengthPolicy.class)
            .noDefaultValue()
            .withDescription("As " + LinnetOptions.OVER_LENGTH.key() + "; a rejected text predicts NULLs.");
}
