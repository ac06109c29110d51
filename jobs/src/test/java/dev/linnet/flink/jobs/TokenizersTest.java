package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void byteLevelWritesALoneSurrogateAsOneByteLikeTheJdk() {
        String text = "x\uD800y";
        TokenizedText t = new ByteLevelTokenizer().encode(text);
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, t.size());
        assertArrayEquals(new int[] {0, 1, 2}, t.starts());
    }

    @Test
    void byteLevelDecodesBytesAndReplacesIdsBeyondThem() {
        ByteLevelTokenizer t = new ByteLevelTokenizer();
        assertEquals("aé", t.decode(t.encode("aé").ids()));
        assertEquals("a\uFFFDb", t.decode(new int[] {'a', 300, 'b'}));
    }

    @Test
    void byteToCharMapsEveryUtf8ByteToItsChar() {
        assertArrayEquals(new int[] {0, 1, 1, 2, 2, 2, 2, 4, 5}, HfTextTokenizer.byteToChar("aé😀b"));
    }
}
