package dev.linnet.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linnet.engine.model.Model;
import dev.linnet.engine.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalCommandTest {
    @Test
    void distancesAreTokensOrMultiplesOfTheWindow() {
        List<EvalCommand.Distance> d = EvalCommand.distances("16, 2w,0.5x,4W,64", "--distances");
        assertArrayEquals(new int[] {16, 64, 512, 2048, 4096}, EvalCommand.resolve(d, 1024), "sorted, in tokens");
        assertArrayEquals(new int[] {16, 24, 64, 96, 192}, EvalCommand.resolve(d, 48));
        assertArrayEquals(
                new int[] {16}, EvalCommand.resolve(EvalCommand.distances("16,16", "--distances"), 0), "no repeats");
        assertThrows(
                IllegalArgumentException.class, () -> EvalCommand.resolve(d, 0), "a window multiple needs a window");
        assertThrows(IllegalArgumentException.class, () -> EvalCommand.distances("2y", "--distances"));
        assertThrows(IllegalArgumentException.class, () -> EvalCommand.distances("-1w", "--distances"));
        assertThrows(IllegalArgumentException.class, () -> EvalCommand.distances("0", "--distances"));
    }

    @Test
    void theDefaultDistancesAddTwoFourAndSixteenWindows() throws Exception {
        assertArrayEquals(
                new int[] {16, 64, 256, 512, 1024, 2048, 4096, 16384, 65536},
                EvalCommand.resolve(null, 1024),
                "a window of 1024 has its multiples in the list already");
        assertArrayEquals(
                new int[] {16, 64, 256, 512, 1024, 2048, 4096, 8192, 16384, 65536}, EvalCommand.resolve(null, 512));
        assertArrayEquals(EvalCommand.DEFAULT_DISTANCES, EvalCommand.resolve(null, 0), "no window, no multiple");
        Model tiny = Model.load(Golden.tinyHybrid());
        assertEquals(48, EvalCommand.windowOf(tiny), "the config's sliding_window");
        assertArrayEquals(
                new int[] {16, 64, 96, 192, 256, 512, 768, 1024, 2048, 4096, 16384, 65536},
                EvalCommand.resolve(null, EvalCommand.windowOf(tiny)));
    }
}
