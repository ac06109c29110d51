package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RenewedRepeatsTest {
    private static final byte[] LOG =
            ("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block"
                            + " blk_38865049064139660 terminating\n081109 203807 222 INFO dfs.DataNode$PacketResponder: Received block"
                            + " blk_-6952295868487656571 of size 67108864 from /10.251.73.220\n\u00e9t\u00e9 0 \u65e5 42\n")
                    .getBytes(StandardCharsets.UTF_8);

    @Test
    void renewalKeepsEveryOtherByteAndChangesTheDigits() {
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] a = RenewedRepeats.renewDigits(LOG, rnd), b = RenewedRepeats.renewDigits(LOG, rnd);
        assertEquals(LOG.length, a.length);
        int digits = 0, changedA = 0, changedB = 0;
        for (int i = 0; i < LOG.length; i++) {
            boolean digit = LOG[i] >= '0' && LOG[i] <= '9';
            if (!digit) {
                assertEquals(LOG[i], a[i], "byte " + i + " is not a digit and stays");
                assertEquals(LOG[i], b[i]);
                continue;
            }
            digits++;
            assertTrue(a[i] >= '0' && a[i] <= '9' && b[i] >= '0' && b[i] <= '9', "a digit stays a digit");
            if (a[i] != LOG[i]) changedA++;
            if (b[i] != a[i]) changedB++;
        }
        // a random digit equals the old one one time in ten
        assertTrue(
                changedA > 0.7 * digits && changedB > 0.7 * digits,
                digits + " digits, " + changedA + " and " + changedB + " changed");
        assertFalse(Arrays.equals(a, b), "fresh digits in every copy");
        assertArrayEquals(a, RenewedRepeats.renewDigits(LOG, new SplittableRandom(1)), "seeded");
        assertEquals(
                new String(LOG, StandardCharsets.UTF_8).replaceAll("[0-9]", "#"),
                new String(a, StandardCharsets.UTF_8).replaceAll("[0-9]", "#"),
                "still valid UTF-8, same text around the digits");
    }

    @Test
    void theLongStreamIsWholeRenewedCopiesOfAtLeastTheAskedTokens() throws Exception {
        Tokenizer tok = StreamCompressionTest.defaultTokenizer();
        RenewedRepeats.Stream s = RenewedRepeats.build(tok, LOG, 1000, 3);
        StreamCompression.TokenizedBytes t = s.tokens();
        assertTrue(t.tokens() >= 1000, t.tokens() + " tokens");
        assertEquals((long) s.copies() * LOG.length, t.bytes());
        int perCopy = tok.encode(new String(LOG, StandardCharsets.UTF_8)).length;
        assertTrue(s.copies() <= 1000 / perCopy + 3, s.copies() + " copies of about " + perCopy + " tokens");
        RenewedRepeats.Stream again = RenewedRepeats.build(tok, LOG, 1000, 3);
        assertArrayEquals(t.ids(), again.tokens().ids(), "seeded");
        assertFalse(
                Arrays.equals(
                        t.ids(),
                        RenewedRepeats.build(tok, LOG, 1000, 4).tokens().ids()),
                "another seed, other digits");
        assertThrows(IllegalArgumentException.class, () -> RenewedRepeats.build(tok, new byte[0], 10, 1));
        assertThrows(IllegalArgumentException.class, () -> RenewedRepeats.build(tok, LOG, 0, 1));
    }
}
