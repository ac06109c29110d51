package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** decode(encode(x)) == x for valid UTF-8 (after the tokenizer's normalizer, where it has one). */
class RoundTripTest {

    @Test
    void everyParityCaseComesBack() {
        Tokenizer gpt2 = ParityFixtures.tokenizer("gpt2-style");
        Tokenizer llama3 = ParityFixtures.tokenizer("llama3-style");
        Tokenizer cl100k = Cl100kTokenizerJson.tokenizer();
        for (Map.Entry<String, String> c : ParityFixtures.cases().entrySet()) {
            String text = c.getValue();
            assertEquals(text, gpt2.decode(gpt2.encode(text)), c.getKey());
            assertEquals(
                    text,
                    gpt2.decode(gpt2.encode(text, EncodeOptions.DEFAULT.specialTokensRecognized(true))),
                    c.getKey());
            assertEquals(text, cl100k.decode(cl100k.encode(text)), c.getKey());
            // llama3-style normalizes to NFC; with special tokens as text nothing else is lost
            assertEquals(
                    Normalizer.normalize(text, Normalizer.Form.NFC), llama3.decode(llama3.encode(text)), c.getKey());
        }
    }

    @Test
    void randomUnicodeComesBackAsBytes() {
        Tokenizer gpt2 = ParityFixtures.tokenizer("gpt2-style");
        SplittableRandom rnd = new SplittableRandom(11);
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(60);
            for (int k = 0; k < len; k++) {
                int kind = rnd.nextInt(4);
                int cp = kind == 0
                        ? rnd.nextInt(0x80)
                        : kind == 1
                                ? rnd.nextInt(0x800)
                                : kind == 2 ? rnd.nextInt(0xD800) : 0x10000 + rnd.nextInt(0x100000);
                sb.appendCodePoint(cp);
            }
            byte[] utf8 = sb.toString().getBytes(StandardCharsets.UTF_8);
            Encoding e = gpt2.encodeUtf8(utf8, EncodeOptions.DEFAULT);
            assertEquals(0, e.replacements());
            assertArrayEquals(utf8, gpt2.decodeBytes(e.ids(), false));
        }
    }
}
