package dev.linnet.flink.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.flink.operator.ScorerInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one raw Kafka record into scorer input, and says what was wrong with it. Its value must already be cut to
 * {@link LineParseSettings#maxRecordBytes()}, as {@link RawLogRecord#capped} (and so the Kafka source) leaves it. No record is dropped
 * without a dead letter; repaired records (replacement characters, default or escaped key, truncation) are
 * scored and flagged, and also get a dead letter saying what was repaired. At most
 * {@link LineParseSettings#maxRecordBytes()} of a value are decoded and tokenized; a longer value's first bytes
 * are scored (a JSON line cut short is dropped). Plain Java, so it is tested without Flink.
 */
public final class LogLineParser {

    /** What became of one record: the input to score (null when dropped) and its dead letters. */
    public record Parsed(ScorerInput input, LogLine line, List<DeadLetter> deadLetters) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LineParseSettings settings;
    private final TextTokenizer tokenizer;
    private final Pattern keyPattern;
    private final boolean namedKeyGroup;

    public LogLineParser(LineParseSettings settings, TextTokenizer tokenizer) {
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.keyPattern = settings.keySource() == KeySource.REGEX ? Pattern.compile(settings.keyRegex()) : null;
        this.namedKeyGroup = keyPattern != null && keyPattern.pattern().contains("(?<key>");
    }

    public Parsed parse(RawLogRecord raw) {
        List<DeadLetter> letters = new ArrayList<>(1);
        if (raw.value == null || raw.value.length == 0) {
            letters.add(DeadLetters.of(
                    raw,
                    DeadLetterReason.EMPTY_VALUE,
                    "dropped",
                    raw.value == null ? "the record has no value (tombstone)" : "the value is empty",
                    true));
            return new Parsed(null, null, letters);
        }
        // the byte limit comes first, applied by RawLogRecord.capped: nothing below reads more than max-bytes
        if (raw.value.length > settings.maxRecordBytes()) {
            throw new IllegalArgumentException("the value has " + raw.value.length
                    + " bytes, more than linnet.record.max-bytes (" + settings.maxRecordBytes()
                    + "): make the record with RawLogRecord.capped");
        }
        int valueBytes = raw.valueBytes();
        int length = raw.value.length;
        boolean valueCut = raw.valueCut();
        String overBytes = valueCut
                ? "the value has " + valueBytes + " bytes, more than linnet.record.max-bytes ("
                        + settings.maxRecordBytes() + ")"
                : null;
        if (valueCut && settings.json()) {
            letters.add(DeadLetters.of(
                    raw,
                    DeadLetterReason.OVER_MAX_BYTES,
                    "dropped",
                    overBytes + "; a JSON line cut short cannot be read",
                    true));
            return new Parsed(null, null, letters);
        }
        String line = BoundedText.strictUtf8(raw.value, length);
        boolean invalidUtf8 = line == null;
        if (invalidUtf8) {
            line = new String(raw.value, 0, length, StandardCharsets.UTF_8);
        }
        int decodedChars = line.length();
        line = stripLineEnd(line);
        boolean lineEndStripped = line.length() < decodedChars;
        if (line.isBlank()) {
            letters.add(DeadLetters.of(
                    raw, DeadLetterReason.EMPTY_VALUE, "dropped", "the value is only white space", true));
            return new Parsed(null, null, letters);
        }

        JsonNode object = null;
        if (settings.json()) {
            try {
                JsonNode node = JSON.readTree(line);
                if (node != null && node.isObject()) {
                    object = node;
                }
            } catch (Exception e) {
                // reported below
            }
            if (object == null) {
                letters.add(DeadLetters.of(
                        raw,
                        DeadLetterReason.NOT_JSON,
                        "dropped",
                        "the line is not a JSON object, but JSON fields are configured",
                        !invalidUtf8));
                return new Parsed(null, null, letters);
            }
        }

        String text = line;
        if (settings.textJsonField() != null) {
            text = field(object, settings.textJsonField());
            if (text == null || text.isBlank()) {
                letters.add(DeadLetters.of(
                        raw,
                        DeadLetterReason.MISSING_JSON_FIELD,
                        "dropped",
                        "the JSON line has no text field '" + settings.textJsonField() + "' (or it is empty)",
                        !invalidUtf8));
                return new Parsed(null, null, letters);
            }
        }

        StreamKeys.Key found = null;
        DeadLetterReason keyProblem = null;
        String keyDetail = null;
        switch (settings.keySource()) {
            case RECORD_KEY -> {
                if (raw.key == null) {
                    keyProblem = DeadLetterReason.NULL_KEY;
                    keyDetail = "the record has no key";
                } else {
                    found = StreamKeys.of(raw.key);
                }
            }
            case REGEX -> {
                Matcher m = keyPattern.matcher(line);
                String k = null;
                if (m.find()) {
                    k = namedKeyGroup ? m.group("key") : m.groupCount() >= 1 ? m.group(1) : m.group();
                }
                if (k == null || k.isEmpty()) {
                    keyProblem = DeadLetterReason.KEY_NOT_FOUND;
                    keyDetail = "the key regex " + settings.keyRegex() + " does not match the line";
                } else {
                    found = StreamKeys.of(k);
                }
            }
            case JSON_FIELD -> {
                String k = field(object, settings.keyJsonField());
                if (k == null || k.isEmpty()) {
                    keyProblem = DeadLetterReason.MISSING_JSON_FIELD;
                    keyDetail = "the JSON line has no key field '" + settings.keyJsonField() + "' (or it is empty)";
                } else {
                    found = StreamKeys.of(k);
                }
            }
        }
        String key = keyProblem != null ? settings.defaultKey() : found.key();
        if (keyProblem != null && settings.dropMissingKey()) {
            letters.add(DeadLetters.of(raw, keyProblem, "dropped", keyDetail, !invalidUtf8));
            return new Parsed(null, null, letters);
        }

        TokenizedText tokens = tokenizer.encode(text + settings.separator());
        int[] ids = tokens.ids();
        int scoredChars = text.length();
        boolean tokensCut = ids.length > settings.maxTokens();
        if (tokensCut) {
            ids = Arrays.copyOf(ids, settings.maxTokens());
            scoredChars = Math.min(text.length(), tokens.ends()[settings.maxTokens() - 1]);
        }

        // the dead letters' key is the record key's stream key: the one made above when that is the stream key
        String letterKey = null;
        if (keyProblem != null || found.problem() != null || invalidUtf8 || valueCut || tokensCut) {
            StreamKeys.Key recordKey = settings.keySource() == KeySource.RECORD_KEY ? found : StreamKeys.of(raw.key);
            letterKey = recordKey == null ? null : recordKey.key();
        }
        if (keyProblem != null) {
            letters.add(DeadLetters.of(
                    raw,
                    letterKey,
                    keyProblem,
                    "scored-under-default-key",
                    keyDetail + "; scored under the default key '" + key + "'",
                    !invalidUtf8));
        } else if (found.problem() != null) {
            letters.add(DeadLetters.of(
                    raw,
                    letterKey,
                    DeadLetterReason.INVALID_KEY,
                    "scored-under-escaped-key",
                    found.problem() + "; scored under its own escaped key '" + key + "'",
                    !invalidUtf8));
        }
        if (invalidUtf8) {
            letters.add(DeadLetters.of(
                    raw,
                    letterKey,
                    DeadLetterReason.INVALID_UTF8,
                    "scored-with-replacement",
                    "the value is not valid UTF-8; scored with U+FFFD in place of the bad bytes",
                    false));
        }

        String scored = tokensCut
                ? "scored the first " + settings.maxTokens() + " of its " + tokens.size() + " tokens (" + scoredChars
                        + " of " + text.length() + " chars)"
                : "scored all " + tokens.size() + " tokens of its first " + length + " bytes";
        if (valueCut) {
            letters.add(DeadLetters.of(
                    raw,
                    letterKey,
                    DeadLetterReason.OVER_MAX_BYTES,
                    "scored-truncated",
                    overBytes + "; " + scored,
                    !invalidUtf8));
        } else if (tokensCut) {
            letters.add(DeadLetters.of(
                    raw,
                    letterKey,
                    DeadLetterReason.OVER_MAX_TOKENS,
                    "scored-truncated",
                    tokens.size() + " tokens, more than --max-tokens " + settings.maxTokens() + "; " + scored,
                    !invalidUtf8));
        }

        LogLine out = new LogLine();
        out.key = key;
        out.topic = raw.topic;
        out.partition = raw.partition;
        out.offset = raw.offset;
        out.timestamp = raw.timestamp;
        out.text = text;
        out.scoredChars = scoredChars;
        out.tokensBefore = tokens.size();
        out.valueBytes = valueBytes;
        // hashed only when the text cannot stand in for the value: DeadLetters.fill hashes the text otherwise
        boolean textIsValue = !valueCut && !invalidUtf8 && !lineEndStripped && settings.textJsonField() == null;
        out.valueSha256 = textIsValue ? null : raw.valueSha256();
        out.valueCut = valueCut;
        out.truncated = tokensCut || valueCut;
        out.invalidUtf8 = invalidUtf8;
        out.defaultKey = keyProblem != null;
        return new Parsed(new ScorerInput(key, LineContextCodec.encode(out), ids), out, letters);
    }

    private static String field(JsonNode object, String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static String stripLineEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
