package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpanTokenizerTest {

    private final SpanTokenizer tokenizer = new SpanTokenizer(SqlTestModel.tokenizer());

    @Test
    void theTestTokenizerFitsTheTinyModelAndMergesWords() {
        assertTrue(
                tokenizer.idBound() <= SqlTestModel.model().config().vocabSize(), "ids up to " + tokenizer.idBound());
        TextTokens t = tokenizer.encode("the user error");
        assertTrue(t.size() < "the user error".length(), "merges make fewer tokens than bytes: " + t.size());
        assertArrayEquals(SqlTestModel.tokenizer().encode("the user error"), t.ids());
    }

    @Test
    void spansAreCharOffsetsThatCoverTheText() {
        String text = "user héllo 😀 error";
        TextTokens t = tokenizer.encode(text);
        StringBuilder rebuilt = new StringBuilder();
        int lastEnd = 0;
        for (int i = 0; i < t.size(); i++) {
            int start = t.startChar(i);
            int end = t.endChar(i);
            assertTrue(
                    start >= 0 && start <= end && end <= text.length(), "token " + i + " [" + start + "," + end + ")");
            if (start >= lastEnd) {
                rebuilt.append(text, start, end);
                lastEnd = end;
            }
        }
        assertEquals(text, rebuilt.toString());
        // the emoji is four UTF-8 bytes, two chars: each of its byte tokens spans both chars
        int emoji = text.indexOf("😀");
        boolean found = false;
        for (int i = 0; i < t.size(); i++) {
            if (t.startChar(i) == emoji) {
                assertEquals(emoji + 2, t.endChar(i));
                assertEquals("😀", t.tokenText(i));
                found = true;
            }
        }
        assertTrue(found);
    }

    @Test
    void aLoneSurrogateIsOneReplacementCharacter() {
        String text = "a\uD800b";
        TextTokens t = tokenizer.encode(text);
        // 'a', the three UTF-8 bytes of U+FFFD (no merge joins them), 'b'
        assertEquals(5, t.size());
        for (int i = 1; i <= 3; i++) {
            assertEquals("\uD800", t.tokenText(i), "byte token " + i + " covers the surrogate it replaced");
        }
        assertEquals("b", t.tokenText(4));
    }
}
