package dev.linnet.flink.jobs;

import java.io.Serializable;
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
 */
public record LineParseSettings(
        KeySource keySource,
        String keyRegex,
        String keyJsonField,
        String textJsonField,
        String defaultKey,
        boolean dropMissingKey,
        int maxTokens,
        String separator)
        implements Serializable {

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
            throw new IllegalArgumentException("--max-tokens must be at least 1, got " + maxTokens);
        }
        separator = separator == null ? "" : separator;
    }

    /** Key from the record key, whole line scored, default key {@code unkeyed}, 256 tokens, newline separator. */
    public static LineParseSettings defaults() {
        return new LineParseSettings(KeySource.RECORD_KEY, null, null, null, "unkeyed", false, 256, "\n");
    }

    /** These settings with another token limit. */
    public LineParseSettings withMaxTokens(int tokens) {
        return new LineParseSettings(
                keySource, keyRegex, keyJsonField, textJsonField, defaultKey, dropMissingKey, tokens, separator);
    }

    /** Whether lines are parsed as JSON objects. */
    public boolean json() {
        return keySource == KeySource.JSON_FIELD || textJsonField != null;
    }
}
