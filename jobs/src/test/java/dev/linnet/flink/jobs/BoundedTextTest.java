package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedTextTest {

    @Test
    void bytesAreCutOnACharacterBoundary() {
        byte[] b = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
        int[] expected = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10};
        for (int max = 0; max <= b.length; max++) {
            assertEquals(expected[max], BoundedText.utf8Boundary(b, max), "max " + max);
        }
        byte[] junk = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
        assertEquals(5, BoundedText.utf8Boundary(junk, 5), "not UTF-8: cut where asked");
    }

    @Test
    void textIsCutToItsJsonSizeAndMadeWritable() throws Exception {
        String plain = "hello";
        assertSame(plain, BoundedText.forJson(plain, 5));
        assertEquals("hell", BoundedText.forJson(plain, 4));
        assertEquals("a", BoundedText.forJson("a\u0001", 6), "a control character takes six bytes");
        assertEquals("a\u0001", BoundedText.forJson("a\u0001", 7));
        assertEquals("a", BoundedText.forJson("a😀", 4), "a surrogate pair is never split");
        assertEquals("a\uFFFDb", BoundedText.forJson("a\uD800b", 100), "an unpaired surrogate becomes U+FFFD");
        String cut = BoundedText.forJson("\"\\é\n".repeat(1000), 1000);
        assertTrue(JsonEncoder.mapper().writeValueAsBytes(cut).length <= 1000 + 2, "the two quotes aside");
    }
}
