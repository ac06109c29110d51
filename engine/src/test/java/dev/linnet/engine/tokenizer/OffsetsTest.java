package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offsets map each token back to the right bytes of the record. */
class OffsetsTest {
    private static final EncodeOptions OFFSETS =
            EncodeOptions.DEFAULT.specialTokensRecognized(true).offsetsReported(true);

    @Test
    void eachTokenIsExactlyItsBytesOfTheRecord() {
        Tokenizer tok = ParityFixtures.tokenizer("gpt2-style");
        for (Map.Entry<String, String> c : ParityFixtures.cases().entrySet()) {
            byte[] record = c.getValue().getBytes(StandardCharsets.UTF_8);
            Encoding e = tok.encodeUtf8(record, OFFSETS);
            int expectStart = 0;
            for (int i = 0; i < e.size(); i++) {
                assertEquals(expectStart, e.start(i), c.getKey() + " token " + i + " starts where the previous ended");
                assertArrayEquals(
                        tok.tokenBytes(e.ids()[i]),
                        Arrays.copyOfRange(record, e.start(i), e.end(i)),
                        c.getKey() + " token " + i);
                expectStart = e.end(i);
            }
            assertEquals(record.length, expectStart, c.getKey() + ": tokens cover the record");
        }
    }

    @Test
    void addedPrefixSpaceHasNoBytes() {
        JsonFixture variant = new JsonFixture("gpt2-prefix-legacy-merges");
        Tokenizer tok = variant.tokenizer();
        byte[] record = "hello world".getBytes(StandardCharsets.UTF_8);
        Encoding e = tok.encodeUtf8(record, OFFSETS);
        assertEquals(' ', tok.tokenBytes(e.ids()[0])[0], "the first token carries the added space");
        assertEquals(0, e.start(0));
        byte[] first = tok.tokenBytes(e.ids()[0]);
        assertArrayEquals(Arrays.copyOfRange(first, 1, first.length), Arrays.copyOfRange(record, e.start(0), e.end(0)));
        assertEquals(record.length, e.end(e.size() - 1));
    }

    @Test
    void normalizedStretchesMapToTheirOriginalBytes() {
        Tokenizer tok = ParityFixtures.tokenizer("llama3-style"); // NFC
        String text = "cafe\u0301 \u1100\u1161\u11a8 ok";
        byte[] record = text.getBytes(StandardCharsets.UTF_8);
        Encoding e = tok.encodeUtf8(record, OFFSETS);
        int eStart = 3; // "e" + U+0301 -> "é": bytes 3..6 of the record
        int eEnd = 6;
        int jamoStart = 7; // three jamo -> one syllable: bytes 7..16
        int jamoEnd = 16;
        for (int i = 0; i < e.size(); i++) {
            int s = e.start(i);
            int t = e.end(i);
            assertTrue(0 <= s && s <= t && t <= record.length);
            // no span cuts into a stretch that normalization changed
            assertTrue(!(s > eStart && s < eEnd) && !(t > eStart && t < eEnd), "token " + i + " " + s + ".." + t);
            assertTrue(
                    !(s > jamoStart && s < jamoEnd) && !(t > jamoStart && t < jamoEnd),
                    "token " + i + " " + s + ".." + t);
        }
        assertEquals(0, e.start(0));
        assertEquals(record.length, e.end(e.size() - 1));
        // and decode gives the normalized text
        assertEquals("caf\u00e9 \uac01 ok", tok.decode(e.ids()));
    }

    @Test
    void offsetsAgreeBetweenStringAndBytesInput() {
        Tokenizer tok = ParityFixtures.tokenizer("split-style");
        String text = "x=1, y=\uff12; \u2460 done";
        Encoding a = tok.encodeText(text, OFFSETS);
        Encoding b = tok.encodeUtf8(text.getBytes(StandardCharsets.UTF_8), OFFSETS);
        assertArrayEquals(a.ids(), b.ids());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.start(i), b.start(i));
            assertEquals(a.end(i), b.end(i));
        }
    }

    /** A fixture variant's tokenizer (base file with its fields replaced). */
    private static final class JsonFixture {
        private final com.fasterxml.jackson.databind.JsonNode variant;

        JsonFixture(String name) {
            variant = ParityFixtures.read("expected-" + name + ".json.gz");
        }

        Tokenizer tokenizer() {
            return Tokenizer.fromJson(ParityFixtures.tokenizerJson(variant));
        }
    }

    @Test
    void charOffsetsOfAJavaStringCoverWholeCharactersAfterALoneSurrogate() {
        Tokenizer tok = ParityFixtures.tokenizer("gpt2-style");
        // a lone surrogate is tokenized as U+FFFD, three bytes: the char offsets after it must not drift
        String text = "a\uD800 disk \uD83D\uDE00 full\uDC00";
        Encoding e = tok.encodeText(text, OFFSETS);
        assertTrue(e.hasCharOffsets());
        Utf8Form form = Utf8Form.of(text);
        assertEquals(form.length(), e.end(e.size() - 1));
        StringBuilder rebuilt = new StringBuilder();
        int lastEnd = 0;
        for (int i = 0; i < e.size(); i++) {
            int start = e.charStart(i);
            int end = e.charEnd(i);
            assertTrue(
                    0 <= start && start <= end && end <= text.length(), "token " + i + " [" + start + "," + end + ")");
            assertTrue(
                    start == 0
                            || start == text.length()
                            || !Character.isHighSurrogate(text.charAt(start - 1))
                            || !Character.isLowSurrogate(text.charAt(start)),
                    "token " + i + " starts inside a surrogate pair");
            if (start >= lastEnd) {
                rebuilt.append(text, start, end);
                lastEnd = end;
            }
        }
        assertEquals(text, rebuilt.toString(), "the tokens' char spans cover the text in order");
        for (int i = 0; i < e.size(); i++) {
            // the char span is the smallest run of whole characters whose UTF-8 form holds the token's bytes
            int from = Utf8.encodedLength(text, 0, e.charStart(i));
            int to = Utf8.encodedLength(text, 0, e.charEnd(i));
            assertTrue(from <= e.start(i) && e.end(i) <= to, "token " + i + " bytes within its chars");
            assertTrue(e.start(i) - from < 4 && to - e.end(i) < 4, "token " + i + " chars hug its bytes");
        }
        for (int i = 0; i < e.size(); i++) {
            if (e.charStart(i) == text.indexOf('\uD83D')) {
                assertEquals(
                        text.indexOf('\uD83D') + 2,
                        e.charEnd(i),
                        "a token of some of the emoji's bytes covers both chars");
            }
        }
    }

    @Test
    void utf8FormWritesALoneSurrogateAsTheReplacementCharacter() {
        Utf8Form form = Utf8Form.of("x\uD800y\uD83D\uDE00");
        assertArrayEquals(
                new byte[] {
                    'x', (byte) 0xEF, (byte) 0xBF, (byte) 0xBD, 'y', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80
                },
                form.bytes());
        int[] charOf = new int[form.length() + 1];
        for (int b = 0; b <= form.length(); b++) {
            charOf[b] = form.charStart(b);
        }
        assertArrayEquals(new int[] {0, 1, 1, 1, 2, 3, 3, 3, 3, 5}, charOf);
        assertEquals(5, form.charEnd(6, 7), "one byte of the emoji covers its two chars");
        assertEquals(2, form.charEnd(1, 2), "one byte of the replaced surrogate covers its char");
        assertEquals(2, form.charEnd(4, 4), "an empty span ends where it starts");
    }

    @Test
    void charOffsetsAreKnownOnlyForAJavaString() {
        Tokenizer tok = ParityFixtures.tokenizer("gpt2-style");
        Encoding bytes = tok.encodeUtf8("abc".getBytes(StandardCharsets.UTF_8), OFFSETS);
        assertTrue(!bytes.hasCharOffsets());
        Encoding noOffsets = tok.encodeText("abc", EncodeOptions.DEFAULT);
        assertTrue(!noOffsets.hasCharOffsets());
    }
}
