package dev.linnet.engine.testing;

import dev.linnet.engine.model.Model;
import org.junit.jupiter.api.BeforeAll;

/**
 * What tests of the tiny reference model share: the model (the reference case minimax-tiny-hybrid), loaded before
 * each test class's first test, and seeded token ids in its vocabulary.
 */
public abstract class TinyHybridModelTest {
    protected static Model model;

    @BeforeAll
    protected static void loadTinyHybrid() throws Exception {
        model = Model.load(Golden.tinyHybrid());
    }

    /** {@code n} token ids from {@code seed}: the same on every run. */
    protected static int[] tokens(long seed, int n) {
        return RandomTokens.of(seed, n, model.config().vocabSize());
    }
}
