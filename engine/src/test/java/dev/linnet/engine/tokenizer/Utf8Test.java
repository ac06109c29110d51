package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static void assertDecodes(byte[] in, String expect, int replacements) {
        DecodedText d = Utf8.decodeLenient(in, 0, in.length);
        assertEquals(expect, d.text);
        assertEquals(replacements, d.replacements);
    }

    @Test
    void replacesEachMaximalSubpartOnce() {
        String r = "\uFFFD";
        assertDecodes(bytes(0x61, 0xF0, 0x9F, 0x98, 0x62), "a" + r + "b", 1); // emoji cut after 3 of 4 bytes
        assertDecodes(bytes(0xC0, 0x80), r + r, 2); // overlong NUL
        assertDecodes(bytes(0xED, 0xA0, 0x80), r + r + r, 3); // encoded surrogate
        assertDecodes(bytes(0xE0, 0x80, 0x41), r + r + "A", 2); // E0 needs A0..BF next
        assertDecodes(bytes(0xF4, 0x90, 0x80, 0x80), r + r + r + r, 4); // above U+10FFFF
        assertDecodes(bytes(0xE2, 0x82), r, 1); // cut at the end
        assertDecodes(bytes(0xFF, 0xFE, 0x41), r + r + "A", 2);
        assertDecodes(bytes(0x80, 0xBF), r + r, 2); // lone continuation bytes
        assertDecodes("ok € 😀".getBytes(StandardCharsets.UTF_8), "ok € 😀", 0);
    }

    @Test
    void recordsWhichBytesEachReplacementStandsFor() {
        DecodedText d = Utf8.decodeLenient(bytes(0x61, 0xF0, 0x9F, 0x98, 0x62, 0xC0), 0, 6);
        assertArrayEquals(new int[] {1, 3}, d.replacedAt);
        assertArrayEquals(new int[] {1, 5}, d.replacedFrom);
        assertArrayEquals(new int[] {4, 6}, d.replacedTo);
    }

    @Test
    void agreesWithTheJdkOnValidityAndText() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int n = 0; n < 5000; n++) {
            byte[] b = new byte[rnd.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (rnd.nextBoolean() ? rnd.nextInt(0x80) : 0x80 + rnd.nextInt(0x80));
            }
            String jdk = new String(b, StandardCharsets.UTF_8);
            boolean valid = java.util.Arrays.equals(b, jdk.getBytes(StandardCharsets.UTF_8));
            assertEquals(valid, Utf8.isValid(b, 0, b.length));
            // the JDK's decoder also substitutes maximal subparts, except that it takes an encoded surrogate
            // (ED A0..BF xx) as one unit where Unicode, Rust and Python see three
            boolean encodedSurrogate = false;
            for (int i = 0; i + 1 < b.length; i++) {
                encodedSurrogate |= (b[i] & 0xFF) == 0xED && (b[i + 1] & 0xFF) >= 0xA0;
            }
            if (!encodedSurrogate) {
                assertEquals(jdk, Utf8.decodeLenient(b, 0, b.length).text);
            }
        }
    }

    @Test
    void encodesLikeTheJdkAndCountsLoneSurrogatesAsReplacements() {
        String s = "a\u00e9\u20ac\ud83d\ude00z";
        byte[] buf = new byte[3 * s.length()];
        int n = Utf8.encode(s, 0, s.length(), buf, 0);
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(buf, n));
        assertEquals(n, Utf8.encodedLength(s, 0, s.length()));
        DecodedText d = DecodedText.ofJavaString("x\ud800y\udc00");
        assertEquals("x\uFFFDy\uFFFD", d.text);
        assertEquals(2, d.replacements);
        assertTrue(Utf8.isValid(new byte[0], 0, 0));
        assertFalse(Utf8.isValid(bytes(0xC3), 0, 1));
    }
}
