package dev.linnet.engine.testing;

import java.util.SplittableRandom;

/** Token ids drawn uniformly from a vocabulary by a seeded generator: the same seed gives the same ids on every run. */
public final class RandomTokens {
    private RandomTokens() {}

    /** {@code count} ids in [0, vocabSize), from {@code seed}. */
    public static int[] of(long seed, int count, int vocabSize) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[count];
        for (int i = 0; i < count; i++) t[i] = r.nextInt(vocabSize);
        return t;
    }
}
