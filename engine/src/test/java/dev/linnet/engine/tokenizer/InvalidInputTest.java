package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Invalid UTF-8 from Kafka: replaced by U+FFFD, counted, and mapped back to the bytes it replaced. */
class InvalidInputTest {
    private final Tokenizer tok = ParityFixtures.tokenizer("gpt2-style");

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void invalidBytesAreReplacedAndCounted() {
        byte[] record = concat(
                "ok ".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
                " then ".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC0, (byte) 0x80},
                "!".getBytes(StandardCharsets.UTF_8));
        Encoding e = tok.encodeUtf8(record, EncodeOptions.DEFAULT.offsetsReported(true));
        assertEquals(3, e.replacements());
        assertArrayEquals(tok.encode("ok \uFFFD then \uFFFD\uFFFD!"), e.ids());
        // every token maps back inside the record, and the replacement's tokens cover exactly the bad bytes
        boolean sawCutEmoji = false;
        for (int i = 0; i < e.size(); i++) {
            assertTrue(0 <= e.start(i) && e.start(i) <= e.end(i) && e.end(i) <= record.length);
            if (e.start(i) <= 3 && e.end(i) >= 6) {
                sawCutEmoji = true;
            }
        }
        assertTrue(sawCutEmoji, "a token spans the 3 replaced bytes 3..6");
    }

    @Test
    void loneSurrogatesInAJavaStringAreReplacedAndCounted() {
        Encoding e = tok.encodeText("a\ud800b", EncodeOptions.DEFAULT);
        assertEquals(1, e.replacements());
        assertArrayEquals(tok.encode("a\uFFFDb"), e.ids());
    }

    @Test
    void recordSliceAndBadIdsAreChecked() {
        byte[] record = "xxhelloxx".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(
                tok.encode("hello"),
                tok.encodeUtf8(record, 2, 5, EncodeOptions.DEFAULT).ids());
        assertThrows(IndexOutOfBoundsException.class, () -> tok.encodeUtf8(record, 5, 10, EncodeOptions.DEFAULT));
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {1, 999_999}));
        assertTrue(bad.getMessage().contains("999999"), bad.getMessage());
        IllegalStateException noOffsets = assertThrows(
                IllegalStateException.class,
                () -> tok.encodeText("x", EncodeOptions.DEFAULT).start(0));
        assertTrue(noOffsets.getMessage().contains("offsetsReported"));
    }
}
