package dev.linnet.engine.model;

/**
 * How to load a checkpoint.
 *
 * @param windowBound  the window of the softmax layers when config.json has no {@code sliding_window}: they then
 *                     see only the last windowBound tokens, which differs from the unbounded model past that many
 *                     tokens (a fixed-size state needs a bound). Ignored when the config sets a window.
 * @param weights      the precision weights are kept in, in memory
 */
public record LoadOptions(int windowBound, WeightPrecision weights) {
    /** The bound used when neither the config nor the caller gives a window. */
    public static final int DEFAULT_WINDOW_BOUND = 4096;

    public static final LoadOptions DEFAULT = new LoadOptions(DEFAULT_WINDOW_BOUND, WeightPrecision.AS_STORED);

    public LoadOptions {
        if (windowBound <= 0) throw new IllegalArgumentException("window bound must be positive, got " + windowBound);
    }

    public LoadOptions withWindowBound(int w) {
        return new LoadOptions(w, weights);
    }

    public LoadOptions withWeights(WeightPrecision p) {
        return new LoadOptions(windowBound, p);
    }

    /** In-memory precision of the weight matrices (norm weights are always float32). */
    public enum WeightPrecision {
        /** F32 stays float32, BF16/F16 stay 16-bit and are widened in the kernels. */
        AS_STORED,
        /** Everything widened to float32. */
        F32,
        /** Everything rounded to bfloat16 (halves memory and the bytes a single-token step reads). */
        BF16
    }
}
