package dev.linnet.evaluation;

import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            for (float v : sur) if (!Float.isNaN(v)) { sum += v; n++; }
            assertEquals(reading == 0 ? passage.length - 1 : passage.length, n, "tokens with a prediction in reading " + reading);
            assertEquals(sum / n, r.meanSurprisal()[reading], 1e-4, "reading " + reading);
        }
        assertEquals(r.meanSurprisal()[0] - r.meanSurprisal()[2], r.gain(), 0.0);
        String table = CopyCheck.table(List.of(r));
        assertTrue(table.contains("| tiny | " + passage.length + " |"), table);
        assertThrows(IllegalArgumentException.class, () -> CopyCheck.run("tiny", model, passage, 1, 32));
    }
}
