package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linnet.engine.model.DefaultModel;
import dev.linnet.engine.tokenizer.Tokenizer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenizersTest {

    @Test
    void byteLevelGivesOneTokenPerByteWithTheCharItBelongsTo() {
        String text = "aé€😀b";
        TokenizedText t = new ByteLevelTokenizer().encode(text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(bytes.length, t.size());
        for (int i = 0; i < bytes.length; i++) {
            assertEquals(bytes[i] & 0xFF, t.ids()[i]);
        }
        // a(1) é(2) €(3) 😀(4 bytes, 2 chars) b(1)
        assertArrayEquals(new int[] {0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 5}, t.starts());
        assertArrayEquals(new int[] {1, 2, 2, 3, 3, 3, 5, 5, 5, 5, 6}, t.ends());
    }

    @Test
    void byteLevelWritesALoneSurrogateAsTheReplacementCharacterLikeTheModelsTokenizer() {
        String text = "x\uD800y";
        TokenizedText t = new ByteLevelTokenizer().encode(text);
        assertArrayEquals(new int[] {'x', 0xEF, 0xBF, 0xBD, 'y'}, t.ids());
        assertArrayEquals(new int[] {0, 1, 1, 1, 2}, t.starts());
        assertArrayEquals(new int[] {1, 2, 2, 2, 3}, t.ends());
    }

    @Test
    void byteLevelDecodesBytesAndReplacesIdsBeyondThem() {
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        assertEquals("aé", t.decode(t.encode("aé").ids()));
        assertEquals("a\uFFFDb", t.decode(new int[] {'a', 300, 'b'}));
    }

    @Test
    void spansAfterALoneSurrogateAreThoseOfTheirOwnText() throws Exception {
        Tokenizer tokenizer;
        try (InputStream json =
                getClass().getClassLoader().getResourceAsStream(DefaultModel.RESOURCE + "/tokenizer.json")) {
            tokenizer = Tokenizer.fromJson(json);
        }
        // the model's tokenizer reads a lone surrogate as U+FFFD, three bytes; the spans after it must not drift
        String text = "x\uD800 ERROR disk full \uD83D\uDE00 at /var/lib";
        for (TextTokenizer t :
                new TextTokenizer[] {new HfTextTokenizer(tokenizer, "the default model"), new ByteLevelTokenizer()}) {
            TokenizedText tokens = t.encode(text);
            int at = text.indexOf(" ERROR");
            StringBuilder rebuilt = new StringBuilder();
            int lastEnd = 0;
            for (int i = 0; i < tokens.size(); i++) {
                int start = tokens.starts()[i];
                int end = tokens.ends()[i];
                if (start >= at && start < text.indexOf('\uD83D')) {
                    // plain ASCII after the surrogate: a token's span is exactly its text
                    assertEquals(
                            t.decode(new int[] {tokens.ids()[i]}),
                            text.substring(start, end),
                            t.describe() + " token " + i);
                }
                if (start >= lastEnd) {
                    rebuilt.append(text, start, end);
                    lastEnd = end;
                }
            }
            assertEquals(text, rebuilt.toString(), t.describe() + ": spans cover the text");
        }
    }
}
