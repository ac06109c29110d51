package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.KeySource;
import dev.linnet.flink.jobs.LineParseSettings;
import picocli.CommandLine.Option;

/** How lines are keyed, which text is scored, and the per-line token limit. */
final class ParseArgs {

    @Option(
            names = "--key-from",
            paramLabel = "SOURCE",
            defaultValue = "record-key",
            converter = EnumConverter.KeySourceConverter.class,
            description = "Where a line's stream key comes from: record-key, regex (--key-regex) or json-field "
                    + "(--key-json-field). Default: ${DEFAULT-VALUE}.")
    KeySource keyFrom;

    @Option(
            names = "--key-regex",
            paramLabel = "REGEX",
            description =
                    "With --key-from regex: the key is group 'key' if the pattern names one, else group 1, else the match.")
    String keyRegex;

    @Option(
            names = "--key-json-field",
            paramLabel = "FIELD",
            description = "With --key-from json-field: the top-level field holding the key.")
    String keyJsonField;

    @Option(
            names = "--text-json-field",
            paramLabel = "FIELD",
            description = "Lines are JSON objects and this field is the text to score (default: the whole line).")
    String textJsonField;

    @Option(
            names = "--default-key",
            paramLabel = "KEY",
            defaultValue = "unkeyed",
            description =
                    "Key for lines whose key is missing (they also get a dead letter). Default: ${DEFAULT-VALUE}.")
    String defaultKey;

    @Option(names = "--drop-missing-key", description = "Drop lines without a key instead of using --default-key.")
    boolean dropMissingKey;

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            defaultValue = "256",
            description = "Most tokens of one line that are scored; longer lines are truncated, flagged and get a "
                    + "dead letter. Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    LineParseSettings settings() {
        return new LineParseSettings(
                keyFrom, keyRegex, keyJsonField, textJsonField, defaultKey, dropMissingKey, maxTokens, "\n");
    }
}
