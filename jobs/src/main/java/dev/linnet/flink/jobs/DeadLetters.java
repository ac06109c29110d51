package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.RejectedRecord;
import dev.linnet.flink.operator.ScoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** How dead letters are made, each bounded whatever the record was (see {@link DeadLetter}). */
public final class DeadLetters {

    /** Raw bytes whose base64 fits {@link BoundedText#LINE_JSON_BYTES}. */
    private static final int BASE64_PREFIX_BYTES = BoundedText.LINE_JSON_BYTES / 4 * 3;

    /** Most JSON bytes of a minimal dead letter's action (the actions are short words; a longer one is cut). */
    static final int ACTION_JSON_BYTES = 64;

    /** JSON bytes of a SHA-256 in hex; a minimal dead letter carries no longer value hash. */
    static final int SHA256_JSON_BYTES = 64;

    /** Most JSON bytes of a key, in a dead letter and as its Kafka key (whose UTF-8 is never longer). */
    static final int KEY_JSON_BYTES = StreamKeys.MAX_BYTES * 2;

    /**
     * Most bytes of a minimal dead letter's JSON besides its detail, topic, key, action and value hash: the field
     * names, quotes, colons, commas and braces (about 140), the reason's name, the partition, offset, timestamp and
     * value length as numbers (62) and the truncation flag (5), rounded up.
     */
    static final int MINIMAL_FIXED_JSON_BYTES = 512;

    /**
     * Most bytes of key and value a minimal dead letter takes as a Kafka record: its detail and topic (each cut to
     * {@link BoundedText#MESSAGE_JSON_BYTES}), its key twice (in the JSON and as the Kafka key, each at most
     * {@link #KEY_JSON_BYTES}), its action and value hash, and the fixed part. The sink's record limit must be at
     * least this, or a dead letter that could not be written could not be written even minimally.
     */
    public static final int MINIMAL_MAX_BYTES = 2 * BoundedText.MESSAGE_JSON_BYTES
            + 2 * KEY_JSON_BYTES
            + ACTION_JSON_BYTES
            + SHA256_JSON_BYTES
            + MINIMAL_FIXED_JSON_BYTES;

    private DeadLetters() {}

    /**
     * A dead letter about {@code raw}: its coordinates, its stream key, the first bytes of its value (as text when
     * {@code valueAsText} and they are valid UTF-8, else as base64), its length and its SHA-256.
     */
    public static DeadLetter of(
            RawLogRecord raw, DeadLetterReason reason, String action, String detail, boolean valueAsText) {
        StreamKeys.Key key = StreamKeys.of(raw.key);
        return of(raw, key == null ? null : key.key(), reason, action, detail, valueAsText);
    }

    /**
     * As {@link #of(RawLogRecord, DeadLetterReason, String, String, boolean)}, for a caller that already has the
     * stream key of {@code raw.key} ({@code key}: {@code StreamKeys.of(raw.key).key()}, null when it has none).
     */
    public static DeadLetter of(
            RawLogRecord raw, String key, DeadLetterReason reason, String action, String detail, boolean valueAsText) {
        DeadLetter d = new DeadLetter();
        d.reason = reason;
        d.action = action;
        d.detail = BoundedText.forJson(detail, BoundedText.LINE_JSON_BYTES);
        d.topic = raw.topic;
        d.partition = raw.partition;
        d.offset = raw.offset;
        d.timestamp = raw.timestamp;
        d.key = key;
        if (raw.value != null) {
            byte[] v = raw.value;
            d.valueBytes = raw.valueBytes();
            d.valueSha256 = raw.valueSha256();
            // the first bytes a dead letter carries as text, at a character boundary
            int textBytes = BoundedText.utf8Boundary(v, BoundedText.LINE_JSON_BYTES);
            String text = valueAsText ? BoundedText.strictUtf8(v, textBytes) : null;
            if (text != null) {
                d.value = BoundedText.forJson(text, BoundedText.LINE_JSON_BYTES);
                d.valueTruncated = raw.valueCut() || textBytes < v.length || d.value.length() < text.length();
            } else {
                int n = Math.min(v.length, BASE64_PREFIX_BYTES);
                d.valueBase64 = Base64.getEncoder().encodeToString(n == v.length ? v : Arrays.copyOf(v, n));
                d.valueTruncated = n < v.length || raw.valueCut();
            }
        }
        return d;
    }

    /** A record whose reading failed with {@code e}: dropped. */
    public static DeadLetter parseFailed(RawLogRecord raw, Throwable e) {
        return of(raw, DeadLetterReason.PARSE_FAILED, "dropped", "reading the record failed: " + describe(e), true);
    }

    static DeadLetter fromRejected(RejectedRecord rejected) {
        DeadLetter d = new DeadLetter();
        d.reason = DeadLetterReason.SCORER_REJECTED;
        d.action = "dropped";
        d.detail = BoundedText.forJson(rejected.reason + ": " + rejected.detail, BoundedText.LINE_JSON_BYTES);
        d.key = rejected.key;
        fillFromContext(d, rejected.recordId);
        return d;
    }

    /** A record that was scored but whose output could not be built (failure {@code e}). */
    static DeadLetter reportFailed(ScoredRecord scored, Throwable e) {
        DeadLetter d = new DeadLetter();
        d.reason = DeadLetterReason.REPORT_FAILED;
        d.action = "scored-not-reported";
        d.detail = "the record was scored (its stream took its " + scored.tokens + " tokens) but its output could "
                + "not be built: " + describe(e);
        d.key = scored.key;
        fillFromContext(d, scored.recordId);
        return d;
    }

    /** A scored line whose output record could not be written. */
    static DeadLetter outputFailed(AnomalyRecord r, String detail) {
        DeadLetter d = new DeadLetter();
        d.reason = DeadLetterReason.OUTPUT_FAILED;
        d.action = "scored-not-reported";
        d.detail = BoundedText.forJson(detail, BoundedText.MESSAGE_JSON_BYTES);
        d.key = BoundedText.forJson(r.key, StreamKeys.MAX_BYTES * 2);
        d.topic = BoundedText.forJson(r.topic, BoundedText.MESSAGE_JSON_BYTES);
        d.partition = r.partition;
        d.offset = r.offset;
        d.timestamp = r.timestamp;
        if (r.line != null) {
            d.value = BoundedText.forJson(r.line, BoundedText.LINE_JSON_BYTES);
            d.valueTruncated = r.lineTruncated || d.value.length() < r.line.length();
        }
        d.valueBytes = r.valueBytes;
        return d;
    }

    /** A digest that could not be written. */
    static DeadLetter outputFailed(DigestRecord r, String detail) {
        DeadLetter d = new DeadLetter();
        d.reason = DeadLetterReason.OUTPUT_FAILED;
        d.action = "scored-not-reported";
        d.detail = BoundedText.forJson(
                "digest " + r.sequence + " (" + r.records + " records, " + r.firstTimestamp + " to " + r.lastTimestamp
                        + "): " + detail,
                BoundedText.MESSAGE_JSON_BYTES * 2);
        d.key = BoundedText.forJson(r.key, StreamKeys.MAX_BYTES * 2);
        d.timestamp = r.lastTimestamp;
        return d;
    }

    /**
     * The part of {@code d} that is certain to be small and writable: reason, action, coordinates and a bounded
     * detail saying why the rest was left out (for a dead letter that itself could not be written). Its key and
     * JSON value take at most {@link #MINIMAL_MAX_BYTES}, which every sink's record limit allows
     * ({@link KafkaIo#maxRecordBytes}).
     */
    static DeadLetter minimal(DeadLetter d, String why) {
        DeadLetter m = new DeadLetter();
        m.reason = d.reason;
        m.action = BoundedText.forJson(d.action, ACTION_JSON_BYTES);
        m.detail = BoundedText.forJson(why, BoundedText.MESSAGE_JSON_BYTES);
        m.topic = BoundedText.forJson(d.topic, BoundedText.MESSAGE_JSON_BYTES);
        m.partition = d.partition;
        m.offset = d.offset;
        m.timestamp = d.timestamp;
        m.key = BoundedText.forJson(d.key, KEY_JSON_BYTES);
        m.valueBytes = d.valueBytes;
        m.valueSha256 = BoundedText.forJson(d.valueSha256, SHA256_JSON_BYTES);
        m.valueTruncated = d.value != null || d.valueBase64 != null;
        return m;
    }

    /** An exception as a dead letter says it: its class and its (bounded) message. */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return BoundedText.forJson(e.getClass().getName() + message, BoundedText.MESSAGE_JSON_BYTES);
    }

    private static void fillFromContext(DeadLetter d, String recordId) {
        try {
            fill(d, LineContextCodec.decode(recordId));
        } catch (IllegalArgumentException e) {
            d.detail += " (" + describe(e) + ")";
        }
    }

    private static void fill(DeadLetter d, LogLine line) {
        d.topic = line.topic;
        d.partition = line.partition;
        d.offset = line.offset;
        d.timestamp = line.timestamp;
        if (line.text != null) {
            d.value = BoundedText.forJson(line.text, BoundedText.LINE_JSON_BYTES);
            d.valueTruncated = line.valueCut || d.value.length() < line.text.length();
        }
        d.valueBytes = line.valueBytes;
        // the parser leaves the hash out when the text is the value itself (see LogLine#valueSha256)
        d.valueSha256 = line.valueSha256 != null || line.text == null
                ? line.valueSha256
                : BoundedText.sha256(line.text.getBytes(StandardCharsets.UTF_8));
    }
}
