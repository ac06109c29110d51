package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.KeySource;
import dev.linnet.flink.jobs.LineParseSettings;
import dev.linnet.flink.operator.LinnetOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import picocli.CommandLine.Option;

/** How lines are keyed, which text is scored, and the per-line byte and token limits. */
final class ParseArgs {

    /**
     * The jobs' token limit of a line when neither --max-tokens nor linnet.record.max-tokens sets one (the
     * option's own default, 1024, is the library's).
     */
    static final int DEFAULT_MAX_TOKENS = 256;

    /** Most a record's byte limit may be: 1 GiB (a Java array's reach is 2 GiB). */
    static final long MAX_RECORD_BYTES = 1L << 30;

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
            description = "Most tokens of one line that are scored; longer lines are truncated, flagged and get a "
                    + "dead letter. Default: the configuration's linnet.record.max-tokens, else 256.")
    Integer maxTokens;

    @Option(
            names = "--max-record-bytes",
            paramLabel = "SIZE",
            converter = MemorySizeConverter.class,
            description = "Most bytes of a record's value that are decoded and tokenized (e.g. 1mb); a longer value "
                    + "is cut there and its first bytes scored and flagged, with a dead letter (a JSON line is "
                    + "dropped). Default: the configuration's linnet.record.max-bytes, else 1mb.")
    MemorySize maxRecordBytes;

    /**
     * The settings; the token and byte limits from --max-tokens and --max-record-bytes when given, else from
     * {@code config}'s linnet.record.max-tokens and linnet.record.max-bytes, else 256 tokens and 1 MiB.
     */
    LineParseSettings settings(ReadableConfig config) {
        int tokens = maxTokens != null
                ? maxTokens
                : config.getOptional(LinnetOptions.MAX_TOKENS_PER_RECORD).orElse(DEFAULT_MAX_TOKENS);
        MemorySize bytes = maxRecordBytes != null
                ? maxRecordBytes
                : config.getOptional(LinnetOptions.MAX_BYTES_PER_RECORD)
                        .orElse(LinnetOptions.MAX_BYTES_PER_RECORD.defaultValue());
        if (bytes.getBytes() < 1 || bytes.getBytes() > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("--max-record-bytes (linnet.record.max-bytes) must be between 1 byte "
                    + "and " + MAX_RECORD_BYTES + " bytes, got " + bytes.toHumanReadableString());
        }
        return new LineParseSettings(
                keyFrom, keyRegex, keyJsonField, textJsonField, defaultKey, dropMissingKey, tokens, "\n", (int)
                        bytes.getBytes());
    }

    /** As {@link #settings(ReadableConfig)}, without a cluster configuration. */
    LineParseSettings settings() {
        return settings(new Configuration());
    }
}
