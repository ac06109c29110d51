package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyCheckTest {
    private final ByteEncoder bytes = new ByteEncoder();

    @Test
    void passageIsWholeLinesOfAtLeastTheAskedLength() {
        int[] p = CopyCheck.passage(bytes, 7, 300);
        assertTrue(p.length >= 300, "passage of " + p.length + " tokens");
        assertEquals('\n', p[p.length - 1], "ends with a whole line");
        assertTrue(Arrays.equals(p, CopyCheck.passage(bytes, 7, 300)), "seeded");
        assertThrows(IllegalArgumentException.class, () -> CopyCheck.passage(bytes, 7, 0));
    }

    @Test
    void eachReadingIsScoredFromTheStateAfterTheOnesBefore() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        int[] passage = CopyCheck.passage(bytes, 3, 90);
        CopyCheck.Result r = CopyCheck.run("tiny", model, passage, 3, 32);
        assertEquals(passage.length, r.passageTokens());
        // the same numbers computed directly: one stream, the passage three times, whole-stream forward passes
        StreamState s = model.newState();
        for (int reading = 0; reading < 3; reading++) {
            float[] sur = model.forward(s, passage, ForwardOptions.DEFAULT).surprisal();
            double sum = 0;
            int n = 0;
            for (float v : sur)
                if (!Float.isNaN(v)) {
                    sum += v;
                    n++;
                }
            assertEquals(
                    reading == 0 ? passage.length - 1 : passage.length,
                    n,
                    "tokens with a prediction in reading " + reading);
            assertEquals(sum / n, r.meanSurprisal()[reading], 1e-4, "reading " + reading);
        }
        assertEquals(r.meanSurprisal()[0] - r.meanSurprisal()[2], r.gain(), 0.0);
        String table = CopyCheck.table(List.of(r));
        assertTrue(table.contains("| tiny | " + passage.length + " |"), table);
        assertThrows(IllegalArgumentException.class, () -> CopyCheck.run("tiny", model, passage, 1, 32));
    }

    @Test
    void severalPassagesGiveTheGainWithItsStandardError() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        List<int[]> passages = CopyCheck.passages(bytes, 5, 3, 40);
        assertEquals(3, passages.size());
        for (int k = 0; k < 3; k++)
            assertTrue(Arrays.equals(CopyCheck.passage(bytes, 5 + k, 40), passages.get(k)), "passage k has seed + k");
        CopyCheck.Summary s = CopyCheck.run("tiny", model, 48, passages, 40, 2, 32, 128);
        assertEquals(3, s.passages().size());
        double[] gains = new double[3];
        for (int k = 0; k < 3; k++) {
            // each passage in a stream of its own: the same figures as when read alone
            CopyCheck.Result alone = CopyCheck.run("tiny", model, passages.get(k), 2, 32);
            assertArrayEquals(alone.meanSurprisal(), s.passages().get(k).meanSurprisal(), 1e-6);
            gains[k] = alone.gain();
        }
        StandardError.Mean g = s.gain();
        assertEquals(StandardError.ofMean(gains).mean(), g.mean(), 1e-6);
        assertEquals(StandardError.ofMean(gains).standardError(), g.standardError(), 1e-6);
        assertEquals(3, g.n());
        assertEquals(
                "outside the window",
                s.whereThePreviousReadingLies(),
                "a passage of 8 lines is far longer than 48 bytes");
        String table = CopyCheck.summaryTable(List.of(s));
        assertTrue(table.contains("| tiny | 48 |"), table);
        assertTrue(
                table.contains(String.format(java.util.Locale.ROOT, " %.3f | %.3f |", g.mean(), g.standardError())),
                table);
        assertThrows(IllegalArgumentException.class, () -> CopyCheck.passages(bytes, 5, 0, 40));
    }

    @Test
    void thePreviousReadingIsInsideTheWindowWhenThePassageFitsIt() {
        List<CopyCheck.Result> r = List.of(
                new CopyCheck.Result("m", 500, new double[] {3, 1}),
                new CopyCheck.Result("m", 520, new double[] {4, 1}));
        assertEquals("inside the window", new CopyCheck.Summary("m", 520, 500, r).whereThePreviousReadingLies());
        assertEquals("straddles the window", new CopyCheck.Summary("m", 510, 500, r).whereThePreviousReadingLies());
        assertEquals("outside the window", new CopyCheck.Summary("m", 256, 500, r).whereThePreviousReadingLies());
        assertEquals("no window", new CopyCheck.Summary("m", 0, 500, r).whereThePreviousReadingLies());
        CopyCheck.Summary s = new CopyCheck.Summary("m", 1024, 500, r);
        assertEquals(2.5, s.gain().mean(), 1e-12);
        assertEquals(0.5, s.gain().standardError(), 1e-12); // gains 2 and 3: sample deviation sqrt(0.5), over sqrt(2)
        assertEquals(3.5, s.reading(0).mean(), 1e-12);
        assertEquals(510, s.meanTokens(), 1e-12);
    }
}
