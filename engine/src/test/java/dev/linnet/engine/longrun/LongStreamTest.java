package dev.linnet.engine.longrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import dev.linnet.engine.testing.TinyHybridModelTest;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short form of {@link LongRun}, in every build: 10^5 tokens of one stream stay finite and within
 * {@link StateBounds}, and a stream at position 10^8 (RoPE angles of 10^8 radians) matches the float64 reference.
 */
class LongStreamTest extends TinyHybridModelTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void hundredThousandTokensStayFiniteAndBounded() throws Exception {
        Path dir = Golden.tinyHybrid();
        LongRun run = new LongRun(dir, model, 7, QUIET);
        StreamState st = model.newState();
        run.feed(st, 100_000, 4096, null, null);
        assertEquals(100_000, run.positionsChecked);
        assertEquals(0, run.nonFinite, "NaN or infinity in a surprisal, an embedding or the state");
        StateBounds bound = StateBounds.of(dir);
        for (int l = 0; l < st.linearLayers(); l++) {
            double seen = run.norms.linearMax[l];
            assertTrue(
                    seen > 0 && seen <= bound.linear()[l],
                    "lightning layer " + l + ": max |S| " + seen + " against the bound " + bound.linear()[l]);
        }
        for (int l = 0; l < st.windowLayers(); l++) {
            assertTrue(run.norms.keyMax[l] <= bound.keys()[l], "ring keys " + run.norms.keyMax[l]);
            assertTrue(run.norms.valueMax[l] <= bound.values()[l], "ring values " + run.norms.valueMax[l]);
        }
    }

    /**
     * A stream whose first token sits at position 10^8 - 2048: the engine's logits, hidden and states after it
     * against float64 from the same position (forgetting makes this what any stream reaching 10^8 looks like).
     */
    @Test
    void positionTenToTheEighthMatchesFloat64() throws Exception {
        Path dir = Golden.tinyHybrid();
        LongRun run = new LongRun(dir, model, 3, QUIET);
        StreamState st = model.newState();
        long end = 100_000_000L, start = end - 2048;
        st.setTokensSeen(start);
        ChunkResult last = run.feed(st, end, 512, null, null);
        LongRun.Report r = run.checkpoint(st, last, null, null, end - start, false);
        assertEquals(start, r.referenceFrom());
        assertEquals(0, r.nonFinite());
        assertTrue(r.logitError() < 1e-4, "logits " + r.logitError());
        assertTrue(r.hiddenError() < 1e-4, "hidden " + r.hiddenError());
        assertTrue(r.stateError() < 1e-4, "lightning states " + r.stateError());
        assertTrue(r.ringError() < 1e-4, "rings " + r.ringError());
    }
}
