package dev.linnet.flink.sql;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options that only the SQL functions read, next to the shared ones of
 * {@link dev.linnet.flink.operator.LinnetOptions} (the operator takes token ids, so it needs no tokenizer).
 * Like those, they come from the session: {@code SET 'linnet.tokenizer.path' = '...'} or the client's config.yaml.
 */
@PublicEvolving
public final class LinnetSqlOptions {

    private LinnetSqlOptions() {}

    public static final ConfigOption<String> TOKENIZER_PATH = ConfigOptions.key("linnet.tokenizer.path")
            .stringType()
            .noDefaultValue()
            .withDescription("The Hugging Face tokenizer.json the SQL functions tokenize text with. Unset: the "
                    + "tokenizer.json in the model's directory. Its token ids must fit the model's vocabulary.");
}
