package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Every dead-letter case of the parser, and what it does with the record. */
class LogLineParserTest {

    private static final LineParseSettings DEFAULTS = LineParseSettings.defaults();

    private static RawLogRecord raw(String key, byte[] value) {
        return new RawLogRecord("logs", 1, 42, 1000, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static RawLogRecord raw(String key, String value) {
        return raw(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses {@code r} as the Kafka source hands it over: cut to the byte limit (unless already cut). */
    private static LogLineParser.Parsed parse(LineParseSettings s, RawLogRecord r) {
        RawLogRecord in = r.valueCut()
                ? r
                : RawLogRecord.capped(r.topic, r.partition, r.offset, r.timestamp, r.key, r.value, s.maxRecordBytes());
        return new LogLineParser(s, new ByteLevelTokenizer()).parse(in);
    }

    @Test
    void aGoodLineIsScoredWithItsContextAndNoDeadLetter() {
        LogLineParser.Parsed p = parse(DEFAULTS, raw("web", "GET /index 200\r\n"));
        assertTrue(p.deadLetters().isEmpty());
        assertEquals("web", p.input().key);
        assertEquals("GET /index 200", p.line().text, "line ends are stripped");
        int[] expected = "GET /index 200\n".chars().toArray();
        assertArrayEquals(expected, p.input().tokens, "byte-level ids of the line and its separator");
        LogLine back = LineContextCodec.decode(p.input().recordId);
        assertEquals("logs", back.topic);
        assertEquals(1, back.partition);
        assertEquals(42, back.offset);
        assertEquals(1000, back.timestamp);
        assertEquals("GET /index 200", back.text);
        assertFalse(back.truncated || back.invalidUtf8 || back.defaultKey);
    }

    @Test
    void emptyAndBlankAndTombstoneValuesAreDropped() {
        for (RawLogRecord r : new RawLogRecord[] {raw("k", new byte[0]), raw("k", (byte[]) null), raw("k", "  \n")}) {
            LogLineParser.Parsed p = parse(DEFAULTS, r);
            assertNull(p.input());
            assertEquals(1, p.deadLetters().size());
            assertEquals(DeadLetterReason.EMPTY_VALUE, p.deadLetters().get(0).reason);
            assertEquals("dropped", p.deadLetters().get(0).action);
        }
    }

    @Test
    void invalidUtf8IsScoredWithReplacementAndKeptAsBase64() {
        byte[] bad = {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28, (byte) 0xFF};
        LogLineParser.Parsed p = parse(DEFAULTS, raw("db", bad));
        assertNotNull(p.input());
        assertTrue(p.line().invalidUtf8);
        assertTrue(p.line().text.contains("\uFFFD"));
        assertEquals(1, p.deadLetters().size());
        DeadLetter d = p.deadLetters().get(0);
        assertEquals(DeadLetterReason.INVALID_UTF8, d.reason);
        assertEquals("scored-with-replacement", d.action);
        assertNull(d.value);
        assertArrayEquals(bad, Base64.getDecoder().decode(d.valueBase64), "the original bytes survive");
    }

    @Test
    void nullKeyUsesTheDefaultKeyOrIsDropped() {
        LogLineParser.Parsed p = parse(DEFAULTS, raw(null, "hello"));
        assertEquals("unkeyed", p.input().key);
        assertTrue(p.line().defaultKey);
        assertEquals(DeadLetterReason.NULL_KEY, p.deadLetters().get(0).reason);
        assertEquals("scored-under-default-key", p.deadLetters().get(0).action);

        LineParseSettings drop = new LineParseSettings(KeySource.RECORD_KEY, null, null, null, "x", true, 256, "\n");
        LogLineParser.Parsed dropped = parse(drop, raw(null, "hello"));
        assertNull(dropped.input());
        assertEquals("dropped", dropped.deadLetters().get(0).action);
        assertEquals("hello", dropped.deadLetters().get(0).value);
    }

    @Test
    void overlongLinesAreTruncatedFlaggedAndReported() {
        LineParseSettings s = new LineParseSettings(KeySource.RECORD_KEY, null, null, null, "unkeyed", false, 10, "\n");
        LogLineParser.Parsed p = parse(s, raw("k", "0123456789abcdef"));
        assertEquals(10, p.input().tokens.length);
        assertTrue(p.line().truncated);
        assertEquals(10, p.line().scoredChars);
        assertEquals(17, p.line().tokensBefore);
        assertEquals(DeadLetterReason.OVER_MAX_TOKENS, p.deadLetters().get(0).reason);
        assertEquals("scored-truncated", p.deadLetters().get(0).action);
    }

    @Test
    void regexKeysUseTheNamedGroupOrGroupOne() {
        LineParseSettings named = new LineParseSettings(
                KeySource.REGEX, "host=(\\w+) svc=(?<key>\\w+)", null, null, "none", false, 256, "\n");
        assertEquals("api", parse(named, raw(null, "host=h1 svc=api up")).input().key);
        LineParseSettings first =
                new LineParseSettings(KeySource.REGEX, "^\\[(\\w+)\\]", null, null, "none", false, 256, "\n");
        assertEquals("db", parse(first, raw(null, "[db] slow query")).input().key);
        LogLineParser.Parsed miss = parse(first, raw(null, "no brackets here"));
        assertEquals("none", miss.input().key);
        assertEquals(DeadLetterReason.KEY_NOT_FOUND, miss.deadLetters().get(0).reason);
    }

    @Test
    void jsonLinesGiveKeyAndTextFromTheirFields() {
        LineParseSettings s =
                new LineParseSettings(KeySource.JSON_FIELD, null, "service", "message", "unkeyed", false, 256, "\n");
        LogLineParser.Parsed p = parse(s, raw(null, "{\"service\":\"auth\",\"message\":\"login ok\",\"n\":3}"));
        assertEquals("auth", p.input().key);
        assertEquals("login ok", p.line().text);
        assertTrue(p.deadLetters().isEmpty());

        LogLineParser.Parsed noKey = parse(s, raw(null, "{\"message\":\"login ok\"}"));
        assertEquals("unkeyed", noKey.input().key);
        assertEquals(DeadLetterReason.MISSING_JSON_FIELD, noKey.deadLetters().get(0).reason);
        assertEquals("scored-under-default-key", noKey.deadLetters().get(0).action);

        LogLineParser.Parsed noText = parse(s, raw(null, "{\"service\":\"auth\"}"));
        assertNull(noText.input());
        assertEquals(DeadLetterReason.MISSING_JSON_FIELD, noText.deadLetters().get(0).reason);
        assertEquals("dropped", noText.deadLetters().get(0).action);
        assertTrue(
                noText.deadLetters().get(0).detail.contains("'message'"),
                noText.deadLetters().get(0).detail);

        LogLineParser.Parsed notJson = parse(s, raw(null, "plain text line"));
        assertNull(notJson.input());
        assertEquals(DeadLetterReason.NOT_JSON, notJson.deadLetters().get(0).reason);
        LogLineParser.Parsed array = parse(s, raw(null, "[1,2]"));
        assertEquals(DeadLetterReason.NOT_JSON, array.deadLetters().get(0).reason);
    }

    @Test
    void settingsNameTheOptionToFix() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new LineParseSettings(KeySource.REGEX, "(", null, null, "k", false, 10, "\n"));
        assertTrue(e.getMessage().contains("--key-regex"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new LineParseSettings(KeySource.JSON_FIELD, null, null, null, "k", false, 10, "\n"));
        assertTrue(e.getMessage().contains("--key-json-field"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new LineParseSettings(KeySource.RECORD_KEY, null, null, null, "k", false, 0, "\n"));
        assertTrue(e.getMessage().contains("--max-tokens"), e.getMessage());
    }

    @Test
    void aValueOverTheByteLimitIsCutBeforeDecodingAndItsPrefixScored() {
        LineParseSettings s = DEFAULTS.withMaxRecordBytes(1000);
        byte[] value = ("é".repeat(600) + "tail").getBytes(StandardCharsets.UTF_8); // 1204 bytes
        LogLineParser.Parsed p = parse(s, raw("k", value));
        assertEquals("é".repeat(500), p.line().text, "cut at 1000 bytes, on a character boundary");
        assertTrue(p.line().truncated && p.line().valueCut && !p.line().invalidUtf8);
        assertEquals(1204, p.line().valueBytes);
        assertEquals(BoundedText.sha256(value), p.line().valueSha256);
        assertEquals(256, p.input().tokens.length, "then cut to --max-tokens");
        assertEquals(1, p.deadLetters().size(), "one dead letter says both");
        DeadLetter d = p.deadLetters().get(0);
        assertEquals(DeadLetterReason.OVER_MAX_BYTES, d.reason);
        assertEquals("scored-truncated", d.action);
        assertTrue(d.detail.contains("1204 bytes") && d.detail.contains("256"), d.detail);
        assertEquals(1204, d.valueBytes);
        assertEquals(BoundedText.sha256(value), d.valueSha256);

        // the source cuts first: the parser sees only the prefix, with the whole value's length and hash
        RawLogRecord capped = RawLogRecord.capped("logs", 1, 42, 1000, null, value, 1001);
        assertEquals(1000, capped.value.length, "a two-byte character is not split");
        LogLineParser.Parsed fromSource = parse(s, capped);
        assertEquals(p.line().text, fromSource.line().text);
        assertEquals(BoundedText.sha256(value), fromSource.deadLetters().get(1).valueSha256);
    }

    @Test
    void aJsonLineOverTheByteLimitIsDropped() {
        LineParseSettings json = new LineParseSettings(
                KeySource.JSON_FIELD, null, "service", "message", "unkeyed", false, 256, "\n", 100);
        String line = "{\"service\":\"a\",\"message\":\"" + "x".repeat(200) + "\"}";
        LogLineParser.Parsed p = parse(json, raw(null, line));
        assertNull(p.input());
        assertEquals(DeadLetterReason.OVER_MAX_BYTES, p.deadLetters().get(0).reason);
        assertEquals("dropped", p.deadLetters().get(0).action);
    }

    @Test
    void aDeadLetterCarriesABoundedPrefixTheLengthAndTheHash() {
        byte[] big = ("x".repeat(300_000)).getBytes(StandardCharsets.UTF_8);
        big[299_999] = (byte) 0xFF; // invalid at the very end only
        LogLineParser.Parsed p = parse(DEFAULTS, raw("k", big));
        DeadLetter invalid = p.deadLetters().get(0);
        assertEquals(DeadLetterReason.INVALID_UTF8, invalid.reason);
        assertNull(invalid.value);
        assertTrue(invalid.valueTruncated);
        assertEquals(BoundedText.LINE_JSON_BYTES, invalid.valueBase64.length());
        assertEquals(300_000, invalid.valueBytes);
        assertEquals(BoundedText.sha256(big), invalid.valueSha256);
        DeadLetter tooLong = p.deadLetters().get(1);
        assertEquals(DeadLetterReason.OVER_MAX_TOKENS, tooLong.reason);
        assertNull(tooLong.value, "the value is not valid UTF-8: base64");
        assertTrue(tooLong.valueBase64.length() <= BoundedText.LINE_JSON_BYTES);

        byte[] text = ("\u0001\"".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        DeadLetter escaped = DeadLetters.of(raw("k", text), DeadLetterReason.PARSE_FAILED, "dropped", "d", true);
        assertTrue(escaped.valueTruncated);
        assertTrue(escaped.value.length() * 4 <= BoundedText.LINE_JSON_BYTES, "escapes count as written");
    }

    @Test
    void keysThatAreNotShortUtf8GetTheirOwnEscapedStream() {
        byte[] bad1 = {(byte) 0xFF, 'a'};
        byte[] bad2 = {(byte) 0xFE, 'a'};
        LogLineParser.Parsed p1 = parse(DEFAULTS, new RawLogRecord("logs", 0, 1, 1, bad1, utf8("line")));
        LogLineParser.Parsed p2 = parse(DEFAULTS, new RawLogRecord("logs", 0, 2, 1, bad2, utf8("line")));
        assertEquals(StreamKeys.ESCAPE + "base64:" + Base64.getEncoder().encodeToString(bad1), p1.input().key);
        assertFalse(p1.input().key.equals(p2.input().key), "two bad keys stay two streams");
        assertFalse(p1.line().defaultKey);
        DeadLetter d = p1.deadLetters().get(0);
        assertEquals(DeadLetterReason.INVALID_KEY, d.reason);
        assertEquals("scored-under-escaped-key", d.action);
        assertEquals(p1.input().key, d.key);

        // a valid key that looks like an escaped one is escaped too, so it cannot meet the bad key's stream
        LogLineParser.Parsed lookalike = parse(DEFAULTS, raw(p1.input().key, "line"));
        assertFalse(lookalike.input().key.equals(p1.input().key));

        byte[] longKey = utf8("h".repeat(StreamKeys.MAX_BYTES + 1));
        LogLineParser.Parsed p3 = parse(DEFAULTS, new RawLogRecord("logs", 0, 3, 1, longKey, utf8("line")));
        assertEquals(StreamKeys.ESCAPE + "sha256:" + BoundedText.sha256(longKey), p3.input().key);
        assertEquals(DeadLetterReason.INVALID_KEY, p3.deadLetters().get(0).reason);

        assertEquals("web", parse(DEFAULTS, raw("web", "line")).input().key, "a good key is itself");
    }

    @Test
    void aJsonKeyOrTextWithAnUnpairedSurrogateStaysWritable() throws Exception {
        LineParseSettings json =
                new LineParseSettings(KeySource.JSON_FIELD, null, "service", "message", "unkeyed", false, 256, "\n");
        LogLineParser.Parsed p = parse(json, raw(null, "{\"service\":\"\\ud800\",\"message\":\"a \\udc00 b\"}"));
        assertTrue(p.input().key.startsWith(StreamKeys.ESCAPE + "utf16:"), p.input().key);
        assertEquals("a \uFFFD b", BoundedText.forJson(p.line().text, 100));
        for (DeadLetter d : p.deadLetters()) {
            JsonEncoder.mapper().writeValueAsBytes(d);
        }
    }

    @Test
    void aRecordWhoseReadingThrowsBecomesADeadLetter() {
        TextTokenizer broken = new TextTokenizer() {
            @Override
            public TokenizedText encode(String text) {
                throw new IllegalStateException("tokenizer broke on " + text);
            }

            @Override
            public String decode(int[] ids) {
                return "";
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        RawLogRecord r = raw("k", "x".repeat(10_000));
        DeadLetter d = DeadLetters.parseFailed(
                r, assertThrows(IllegalStateException.class, () -> new LogLineParser(DEFAULTS, broken).parse(r)));
        assertEquals(DeadLetterReason.PARSE_FAILED, d.reason);
        assertEquals("dropped", d.action);
        assertTrue(d.detail.startsWith("reading the record failed: java.lang.IllegalStateException: tokenizer"));
        assertTrue(d.detail.length() <= BoundedText.MESSAGE_JSON_BYTES + 40, "the message is bounded");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
