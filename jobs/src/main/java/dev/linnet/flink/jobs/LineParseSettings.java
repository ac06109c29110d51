package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.LinnetOptions;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How log lines become scorer input: where the key comes from, which text is scored, and the limits.
 * Validated on construction, with messages that name the command-line option to fix.
 *
 * @param keySource       where the stream key comes from
 * @param keyRegex        for {@link KeySource#REGEX}: group {@code key}, else group 1, else the whole match
 * @param keyJsonField    for {@link KeySource#JSON_FIELD}: the top-level field holding the key
 * @param textJsonField   when set, each line is a JSON object and this field is the text to score
 * @param defaultKey      the key of records whose key is missing (null key, no regex match, no key field)
 * @param dropMissingKey  drop such records instead (they still go to the dead-letter topic)
 * @param maxTokens       most tokens of one record that are scored; longer records are truncated and flagged
 * @param separator       appended to every line before tokenizing, so the model sees where lines end
 * @param maxRecordBytes  most bytes of a record's value that are decoded and tokenized
 *                        ({@code linnet.record.max-bytes}); a longer value is cut, its prefix scored and flagged
 */
public record LineParseSettings(
        KeySource keySource,
        String keyRegex,
        String keyJsonField,
        String textJsonField,
        String defaultKey,
        boolean dropMissingKey,
        int maxTokens,
        String separator,
        int maxRecordBytes)
        implements Serializable {

    /** The default of {@code linnet.record.max-bytes}: 1 MiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES =
            (int) LinnetOptions.MAX_BYTES_PER_RECORD.defaultValue().getBytes();

    public LineParseSettings {
        Objects.requireNonNull(keySource, "keySource");
        switch (keySource) {
            case REGEX -> {
                if (keyRegex == null || keyRegex.isEmpty()) {
                    throw new IllegalArgumentException("--key-from regex needs --key-regex PATTERN");
                }
                try {
                    Pattern.compile(keyRegex);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("--key-regex is not a valid regular expression: "
                            + e.getDescription() + " near index " + e.getIndex() + " of " + keyRegex);
                }
            }
            case JSON_FIELD -> {
                if (keyJsonField == null || keyJsonField.isEmpty()) {
                    throw new IllegalArgumentException("--key-from json-field needs --key-json-field NAME");
                }
            }
            case RECORD_KEY -> {}
        }
        if (defaultKey == null || defaultKey.isEmpty()) {
            throw new IllegalArgumentException("--default-key must not be empty");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException(
                    "--max-tokens (linnet.record.max-tokens) must be at least 1, got " + maxTokens);
        }
        separator = separator == null ? "" : separator;
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("--max-record-bytes must be at least 1 byte, got " + maxRecordBytes);
        }
        if (defaultKey.getBytes(StandardCharsets.UTF_8).length > StreamKeys.MAX_BYTES
                || defaultKey.startsWith(StreamKeys.ESCAPE)) {
            throw new IllegalArgumentException("--default-key must be at most " + StreamKeys.MAX_BYTES
                    + " bytes of UTF-8 and must not begin with U+FFFD");
        }
    }

    /** As the canonical constructor, with the default byte limit of a record ({@link #DEFAULT_MAX_RECORD_BYTES}). */
    public LineParseSettings(
            KeySource keySource,
            String keyRegex,
            String keyJsonField,
            String textJsonField,
            String defaultKey,
            boolean dropMissingKey,
            int maxTokens,
            String separator) {
        this(
                keySource,
                keyRegex,
                keyJsonField,
                textJsonField,
                defaultKey,
                dropMissingKey,
                maxTokens,
                separator,
                DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * Key from the record key, whole line scored, default key {@code unkeyed}, 256 tokens, newline separator, 1 MiB
     * per record.
     */
    public static LineParseSettings defaults() {
        return new LineParseSettings(KeySource.RECORD_KEY, null, null, null, "unkeyed", false, 256, "\n");
    }

    /** These settings with another token limit. */
    public LineParseSettings withMaxTokens(int tokens) {
        return new LineParseSettings(
                keySource,
                keyRegex,
                keyJsonField,
                textJsonField,
                defaultKey,
                dropMissingKey,
                tokens,
                separator,
                maxRecordBytes);
    }

    /** These settings with another byte limit of a record. */
    public LineParseSettings withMaxRecordBytes(int bytes) {
        return new LineParseSettings(
                keySource,
                keyRegex,
                keyJsonField,
                textJsonField,
                defaultKey,
                dropMissingKey,
                maxTokens,
                separator,
                bytes);
    }

    /** Whether lines are parsed as JSON objects. */
    public boolean json() {
        return keySource == KeySource.JSON_FIELD || textJsonField != null;
    }
}
