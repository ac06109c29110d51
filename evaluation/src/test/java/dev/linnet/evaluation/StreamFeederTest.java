package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamFeederTest {
    @Test
    void batchedFeedingGivesEachStreamWhatItGetsAlone() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        SplittableRandom rnd = new SplittableRandom(3);
        List<int[]> tokens = new ArrayList<>();
        for (int len : new int[] {1, 70, 33, 150}) {
            int[] t = new int[len];
            for (int i = 0; i < len; i++) t[i] = rnd.nextInt(512);
            tokens.add(t);
        }
        List<StreamState> states = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) states.add(model.newState());
        StreamFeeder feeder = new StreamFeeder(model, 32, 64);
        float[][] batched = feeder.feed(states, tokens);
        assertEquals(254, feeder.tokensFed());
        for (int i = 0; i < tokens.size(); i++) {
            StreamState alone = model.newState();
            float[] expected = new float[tokens.get(i).length];
            for (int from = 0; from < expected.length; from += 32) {
                int[] piece = java.util.Arrays.copyOfRange(tokens.get(i), from, Math.min(expected.length, from + 32));
                float[] s = model.forward(alone, piece, ForwardOptions.DEFAULT).surprisal();
                System.arraycopy(s, 0, expected, from, s.length);
            }
            assertArrayEquals(expected, batched[i], "stream " + i);
            assertTrue(alone.sameAs(states.get(i)), "state of stream " + i);
        }
    }

    @Test
    void badSettingsAreRefused() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        assertThrows(IllegalArgumentException.class, () -> new StreamFeeder(model, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new StreamFeeder(model, 64, 32));
    }
}
